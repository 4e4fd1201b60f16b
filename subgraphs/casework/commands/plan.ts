import type { Problem } from '../../../platform/problems';
import { conflict } from '../../../platform/problems';
import { refId } from '../../toolkit/records';
import type { Command } from '../../toolkit/write';
import { Child, EhcPlan, PlanPlacement, SenNeed } from '../entities';
import { AssessmentOutcome, SenSetting, SenType, TwentyWeekException } from '../entities/enums';
import { decidedToAssess, endedWithoutPlan, familyAgreementFollows, finalPlanFollows } from '../rules/life-cycle';
import { loadAssessment, type AssessmentState } from './assessment';
import { dateProblems, problem } from './checks';

/** A placement named in a plan (PlacementInput). */
export interface Placement {
  rank: number;
  urn?: string | null;
  ukprn?: string | null;
  senSetting?: SenSetting | null;
  senUnit?: boolean | null;
  resourcedProvision?: boolean | null;
}

/** A need named in a plan (SenNeedInput). */
export interface Need {
  senType: SenType;
  rank: number;
}

/** The final plan as issued (RecordFinalPlanInput). */
export interface FinalPlan {
  assessmentId: string;
  issueDate: string;
  placements: Placement[];
  senNeeds: Need[];
  personalBudget?: boolean | null;
  exception?: TwentyWeekException | null;
  /** The day the family agreed to the plan being issued before their 15 days to comment ran out (reg 13(1)). */
  familyAgreedEarlyDate?: string | null;
}

/** One or two placements, each exactly one of a 6-digit URN, an 8-digit UKPRN or another setting, ranked 1 and 2. */
export function placementProblems(placements: readonly Placement[]): Problem[] {
  const problems: Problem[] = [];
  if (placements.length < 1 || placements.length > 2) problems.push(problem('input.placements', 'give 1 or 2 placements'));
  placements.forEach((pl, i) => {
    const f = `input.placements[${i}]`;
    const given = [pl.urn, pl.ukprn, pl.senSetting].filter((v) => v != null && v !== '').length;
    if (given !== 1) problems.push(problem(f, 'give exactly one of urn, ukprn or senSetting'));
    if (pl.urn && !/^\d{6}$/.test(pl.urn)) problems.push(problem(`${f}.urn`, `a URN is 6 digits; got "${pl.urn}"`));
    if (pl.ukprn && !/^\d{8}$/.test(pl.ukprn)) problems.push(problem(`${f}.ukprn`, `a UKPRN is 8 digits; got "${pl.ukprn}"`));
    if (pl.rank !== 1 && pl.rank !== 2) problems.push(problem(`${f}.rank`, '1 or 2'));
  });
  if (new Set(placements.map((pl) => pl.rank)).size !== placements.length) problems.push(problem('input.placements', 'each placement needs its own rank'));
  return problems;
}

/** One or two needs: one primary (rank 1) and at most one rank 2. */
export function senNeedProblems(needs: readonly Need[]): Problem[] {
  const problems: Problem[] = [];
  if (needs.length < 1 || needs.length > 2) problems.push(problem('input.senNeeds', 'give 1 or 2 needs'));
  needs.forEach((n, i) => {
    if (n.rank !== 1 && n.rank !== 2) problems.push(problem(`input.senNeeds[${i}].rank`, '1 or 2'));
  });
  if (new Set(needs.map((n) => n.rank)).size !== needs.length || !needs.some((n) => n.rank === 1)) problems.push(problem('input.senNeeds', 'one primary need (rank 1) and at most one rank 2'));
  return problems;
}

/**
 * The final plan as issued, with its placements and needs: it records the decision
 * to issue on the assessment and the child's primary need. One plan per assessment,
 * kept by the database.
 */
export const recordFinalPlan: Command<FinalPlan, AssessmentState, EhcPlan> = {
  load: (tx, input) => loadAssessment(tx, input.assessmentId),
  check: (input, { assessment, request, today }) => [
    ...(decidedToAssess(request) ? [] : [problem('input.assessmentId', 'no final plan without a decision to assess')]),
    ...(endedWithoutPlan(assessment.outcome) ? [problem('input.assessmentId', 'the assessment ended without a decision to issue a plan')] : []),
    ...dateProblems('input.issueDate', input.issueDate, today, finalPlanFollows(request, assessment, !!input.familyAgreedEarlyDate)),
    ...(input.familyAgreedEarlyDate
      ? [
          ...(assessment.draftPlanDate ? [] : [problem('input.familyAgreedEarlyDate', 'there is no draft plan to agree to; record the draft plan first')]),
          ...dateProblems('input.familyAgreedEarlyDate', input.familyAgreedEarlyDate, today, familyAgreementFollows(assessment)),
          ...(input.familyAgreedEarlyDate > input.issueDate ? [{ field: 'input.familyAgreedEarlyDate', message: `input.familyAgreedEarlyDate (${input.familyAgreedEarlyDate}) is after input.issueDate (${input.issueDate}).` }] : []),
        ]
      : []),
    ...placementProblems(input.placements),
    ...senNeedProblems(input.senNeeds),
  ],
  async apply(tx, input, { assessment }) {
    Object.assign(assessment, {
      outcome: AssessmentOutcome.ISSUE_PLAN,
      outcomeDate: assessment.outcomeDate ?? input.issueDate,
      week20Exception: !!input.exception,
      exceptionReason: input.exception ?? null,
    });
    const childId = refId(assessment.child);
    const plan = tx.create(EhcPlan, { child: childId, assessment: assessment.id, issueDate: input.issueDate, personalBudget: !!input.personalBudget, familyAgreedEarlyDate: input.familyAgreedEarlyDate ?? null });
    for (const pl of input.placements) {
      tx.create(PlanPlacement, { plan, rank: pl.rank, urn: pl.urn ?? null, ukprn: pl.ukprn ?? null, senSetting: pl.senSetting ?? null, senUnit: !!pl.senUnit, resourcedProvision: !!pl.resourcedProvision });
    }
    for (const n of input.senNeeds) tx.create(SenNeed, { plan, senType: n.senType, rank: n.rank });
    const child = await tx.findOneOrFail(Child, { id: childId });
    child.primaryNeed = input.senNeeds.find((n) => n.rank === 1)!.senType;
    return plan;
  },
  onConflict: async (em, input) => {
    const existing = await em.findOne(EhcPlan, { assessment: input.assessmentId });
    return existing && conflict('input.assessmentId: a final plan has already been issued after this assessment.', { type: 'EhcPlan', id: existing.id });
  },
};
