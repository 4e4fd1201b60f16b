import type { EntityManager } from '@mikro-orm/postgresql';
import { badUserInput, conflict, type Problem } from '../../../platform/problems';
import { today } from '../../toolkit/dates';
import { linkKeyFor } from '../../toolkit/link-key';
import { mustFind } from '../../toolkit/records';
import type { Command } from '../../toolkit/write';
import { Child, ChildMerge, EhcNeedsAssessment, EhcnaRequest, EhcPlan, WorkerAllocation } from '../entities';
import { Sex } from '../entities/enums';
import { ETHNICITIES } from '../import/sen2-validate';
import { mergeProblems, type MergeSide } from '../rules/merge';
import { normaliseNhsNumber, normalisePostcode, normaliseUpn, nhsNumberProblem, postcodeProblem, ulnProblem, upnProblem } from '../rules/identity';
import { problem } from './checks';

/** Who a child is, as the council records them (RecordChildInput; CorrectChildInput gives only what changes). */
export interface ChildIdentity {
  forename: string;
  surname: string;
  birthDate: string;
  sex: Sex;
  ethnicity?: string | null;
  postcode?: string | null;
  district?: string | null;
  upn?: string | null;
  uln?: string | null;
  nhsNumber?: string | null;
}

export type ChildCorrection = Partial<ChildIdentity> & { childId: string };

/** Two records of the same child, made one (MergeChildrenInput). */
export interface ChildrenMerged {
  keepChildId: string;
  mergeChildId: string;
  reason: string;
  /** Who merged them: the caller, set by the mutation, never by the input. */
  mergedBy: string;
}

const NAME_MAX = 255;

/**
 * Every identity field given, checked as SEN2 checks it (rules/identity.ts). The
 * messages name the field and never repeat the value: it is personal data.
 */
export function identityProblems(input: Partial<ChildIdentity>, now: string): Problem[] {
  const problems: Problem[] = [];
  for (const field of ['forename', 'surname'] as const) {
    const v = input[field];
    if (v === undefined) continue;
    if (v === null || !v.trim()) problems.push(problem(`input.${field}`, 'required'));
    else if (v.length > NAME_MAX) problems.push(problem(`input.${field}`, `at most ${NAME_MAX} characters`));
  }
  if (input.birthDate != null && input.birthDate > now) problems.push(problem('input.birthDate', 'is in the future'));
  if (input.ethnicity && !ETHNICITIES.includes(input.ethnicity.trim().toUpperCase())) problems.push(problem('input.ethnicity', 'one of the SEN2 ethnicity codes (e.g. WBRI)'));
  const checks: Array<[keyof ChildIdentity, (v: string) => string | null]> = [['postcode', postcodeProblem], ['upn', upnProblem], ['uln', ulnProblem], ['nhsNumber', nhsNumberProblem]];
  for (const [field, check] of checks) {
    const v = input[field];
    if (typeof v !== 'string' || v === '') continue;
    const wrong = check(v);
    if (wrong) problems.push(problem(`input.${field}`, wrong));
  }
  return problems;
}

/** The record's values for the fields given: normalised as the import normalises them; null clears an optional field. */
function identityValues(input: Partial<ChildIdentity>, secret: string | undefined): Partial<Child> {
  const values: Partial<Child> = {};
  if (input.forename != null) values.forename = input.forename.trim();
  if (input.surname != null) values.surname = input.surname.trim();
  if (input.birthDate != null) values.birthDate = input.birthDate;
  if (input.sex != null) values.sex = input.sex;
  const optional = (v: string | null | undefined, normal: (s: string) => string | null) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : normal(v));
  const set = <K extends keyof Child>(key: K, value: Child[K] | undefined) => {
    if (value !== undefined) values[key] = value;
  };
  set('ethnicity', optional(input.ethnicity, (s) => s.trim().toUpperCase()));
  set('postcode', optional(input.postcode, normalisePostcode));
  set('district', optional(input.district, (s) => s.trim()));
  set('upn', optional(input.upn, normaliseUpn));
  set('uln', optional(input.uln, (s) => s.trim()));
  const nhs = optional(input.nhsNumber, normaliseNhsNumber);
  if (nhs !== undefined) {
    values.nhsNumber = nhs;
    values.linkKey = nhs === null ? null : linkKeyFor(nhs, secret ?? '');
  }
  return values;
}

/** The child already holding a UPN or NHS number given, other than `self`. */
async function holderOf(em: EntityManager, input: Partial<ChildIdentity>, self: string | null): Promise<{ field: string; child: Child } | null> {
  const upn = input.upn ? normaliseUpn(input.upn) : null;
  const nhs = input.nhsNumber ? normaliseNhsNumber(input.nhsNumber) : null;
  if (nhs) {
    const child = await em.findOne(Child, { nhsNumber: nhs, ...(self ? { id: { $ne: self } } : {}) });
    if (child) return { field: 'input.nhsNumber', child };
  }
  if (upn) {
    const child = await em.findOne(Child, { upn, ...(self ? { id: { $ne: self } } : {}) });
    if (child) return { field: 'input.upn', child };
  }
  return null;
}

function heldElsewhere(held: { field: string; child: Child }) {
  return conflict(`${held.field}: another child's record holds it; if they are the same child, merge the two records (mergeChildren).`, { type: 'Child', id: held.child.id });
}

/** A secret is needed to record an NHS number: without it the record could not meet the ICB's. */
function secretProblems(input: Partial<ChildIdentity>, secret: string | undefined): Problem[] {
  return input.nhsNumber && !secret ? [problem('input.nhsNumber', 'this service has no link key secret configured (LINK_KEY_SECRET), so it cannot record an NHS number')] : [];
}

/**
 * A new child, recorded by a caseworker (children otherwise arrive through the SEN2
 * import). Another child's record holding the same UPN or NHS number is answered
 * CONFLICT naming it: the caseworker merges or corrects rather than making a twin.
 */
export function recordChild(secret: string | undefined): Command<ChildIdentity, { today: string; held: { field: string; child: Child } | null }, Child> {
  return {
    load: async (tx, input) => ({ today: today(), held: await holderOf(tx, input, null) }),
    check: (input, { today }) => [...identityProblems(input, today), ...secretProblems(input, secret)],
    apply(tx, input, { held }) {
      if (held) throw heldElsewhere(held);
      return tx.create(Child, { ethnicity: null, postcode: null, district: null, upn: null, uln: null, nhsNumber: null, linkKey: null, ...identityValues(input, secret) } as Child);
    },
    onConflict: async (em, input) => {
      const held = await holderOf(em, input, null);
      return held && heldElsewhere(held);
    },
  };
}

export interface CorrectionState {
  child: Child;
  /** The earliest request received for the child: a birth date may not be corrected past it. */
  firstRequest: string | null;
  held: { field: string; child: Child } | null;
  today: string;
}

/** A child's record corrected: only the fields given change; null clears an optional one. */
export function correctChild(secret: string | undefined): Command<ChildCorrection, CorrectionState, Child> {
  return {
    async load(tx, input) {
      const child = await mustFind(tx, Child, input.childId, 'input.childId', 'child');
      const first = await tx.findOne(EhcnaRequest, { child: child.id }, { orderBy: { receivedDate: 'asc' } });
      return { child, firstRequest: first?.receivedDate ?? null, held: await holderOf(tx, input, child.id), today: today() };
    },
    check(input, { firstRequest, today }) {
      const problems = [...identityProblems(input, today), ...secretProblems(input, secret)];
      for (const field of ['birthDate', 'sex'] as const) if (input[field] === null) problems.push(problem(`input.${field}`, 'cannot be cleared'));
      if (input.birthDate && firstRequest && input.birthDate > firstRequest) {
        problems.push({ field: 'input.birthDate', message: `input.birthDate (${input.birthDate}) is after the child's first request for assessment was received (${firstRequest}).` });
      }
      return problems;
    },
    apply(_tx, input, { child, held }) {
      if (held) throw heldElsewhere(held);
      const { childId: _, ...fields } = input;
      Object.assign(child, identityValues(fields, secret));
      return child;
    },
    onConflict: async (em, input) => {
      const held = await holderOf(em, input, input.childId);
      return held && heldElsewhere(held);
    },
  };
}

export interface MergeState {
  keep: Child;
  merge: Child;
  keepSide: MergeSide;
  mergeSide: MergeSide;
}

async function sideOf(tx: EntityManager, child: Child): Promise<MergeSide> {
  const [requests, allocations] = await Promise.all([
    tx.find(EhcnaRequest, { child: child.id }),
    tx.find(WorkerAllocation, { child: child.id }),
  ]);
  return {
    birthDate: child.birthDate,
    nhsNumber: child.nhsNumber ?? null,
    upn: child.upn ?? null,
    uln: child.uln ?? null,
    requestDates: requests.map((r) => r.receivedDate),
    allocationStarts: allocations.map((a) => a.startDate),
    openAllocation: allocations.some((a) => !a.endDate),
  };
}

/**
 * Two records of the same child made one: the record kept takes the other's
 * requests, assessments, plans (with their reviews) and allocations, and any
 * identity field it lacks; the other record is removed. The merge itself is a
 * record (ChildMerge: which record went into which, who merged them, when and why),
 * and every row it moved or removed is in the audit trail like any write.
 */
export const mergeChildren: Command<ChildrenMerged, MergeState, ChildMerge> = {
  async load(tx, input) {
    if (input.keepChildId === input.mergeChildId) throw badUserInput([problem('input.mergeChildId', 'is the record kept; name the other record of the same child')]);
    const keep = await mustFind(tx, Child, input.keepChildId, 'input.keepChildId', 'child');
    const merge = await mustFind(tx, Child, input.mergeChildId, 'input.mergeChildId', 'child');
    return { keep, merge, keepSide: await sideOf(tx, keep), mergeSide: await sideOf(tx, merge) };
  },
  check: (input, { keepSide, mergeSide }) => [
    ...(input.reason.trim() ? [] : [problem('input.reason', 'say why these are the same child')]),
    ...mergeProblems(keepSide, mergeSide),
  ],
  async apply(tx, input, { keep, merge }) {
    for (const entity of [EhcnaRequest, EhcNeedsAssessment, EhcPlan, WorkerAllocation] as const) {
      const rows = await tx.find(entity as typeof EhcnaRequest, { child: merge.id });
      for (const row of rows) (row as { child: unknown }).child = keep;
    }
    // The NHS number and link key are unique: they leave the merged record before the kept one takes them.
    const taken: Partial<Child> = {};
    for (const key of ['nhsNumber', 'linkKey', 'upn', 'uln', 'ethnicity', 'postcode', 'district', 'primaryNeed', 'team'] as const) {
      if (keep[key] == null && merge[key] != null) (taken as Record<string, unknown>)[key] = merge[key];
    }
    Object.assign(merge, { nhsNumber: null, linkKey: null });
    await tx.flush();
    Object.assign(keep, taken);
    tx.remove(merge);
    return tx.create(ChildMerge, { keptChildId: keep.id, mergedChildId: merge.id, mergedBy: input.mergedBy, reason: input.reason.trim(), mergedDate: today() });
  },
};
