import { addDays, daysBetween } from '../../toolkit/dates';
import { ActionStatusValue, RagValue } from '../entities/enums';

/**
 * The status rule for a Priority Action Plan action: what 'at risk' means, written
 * once. Pure: everything it needs is passed in, including the date it is judged on.
 */

/** A milestone due within this many days and not finished puts the action at risk. */
export const DUE_SOON_DAYS = 28;
/** No progress update for this many days puts the action at risk. */
export const STALE_UPDATE_DAYS = 42;

export interface StatusInput {
  asOf: string;
  /** When the action started: the clock for "no update" runs from here until the first update. */
  startDate: string;
  /**
   * Each milestone as judged at asOf (rules/milestones.ts): a milestone tied to a KPI
   * carries the completion its readings give, a `note` on where the KPI stands, or,
   * when its KPI could not be read, `unjudged` (it then neither helps nor harms).
   */
  milestones: ReadonlyArray<{ title: string; dueDate: string; completedDate: string | null; note?: string | null; unjudged?: string | null }>;
  /** Date of the latest progress update recorded on or before asOf, if any. */
  lastUpdateOn: string | null;
  /**
   * Each linked KPI's RAG for its latest period and the one before, and, when
   * its owner's service did not answer, which service (the KPI is then GREY).
   */
  kpis: ReadonlyArray<{ name: string; latest: RagValue; previous: RagValue; unavailable?: string | null }>;
  override: { status: ActionStatusValue; reason: string; expiryDate: string } | null;
}

export interface StatusResult {
  status: ActionStatusValue;
  /** Why, in words, one line per cause; the board reads these. */
  reasons: string[];
  /** True when a manual override decided the status. */
  overridden: boolean;
}

const done = (m: { completedDate: string | null }, asOf: string) => m.completedDate !== null && m.completedDate <= asOf;

export function actionStatus(input: StatusInput): StatusResult {
  const { asOf } = input;
  if (input.override && asOf <= input.override.expiryDate) {
    return { status: input.override.status, reasons: [`Set by the board until ${input.override.expiryDate}: ${input.override.reason}`], overridden: true };
  }
  if (input.milestones.length > 0 && input.milestones.every((m) => done(m, asOf))) {
    return { status: ActionStatusValue.COMPLETE, reasons: ['Every milestone is complete.'], overridden: false };
  }
  const off: string[] = [];
  const risk: string[] = [];
  const unjudged: string[] = [];
  for (const m of input.milestones) {
    if (done(m, asOf)) continue;
    if (m.unjudged) {
      unjudged.push(`Milestone "${m.title}" could not be judged: ${m.unjudged}`);
      continue;
    }
    const why = m.note ? ` ${m.note}` : '';
    if (m.dueDate < asOf) off.push(`Milestone "${m.title}" was due on ${m.dueDate} and is not complete.${why}`);
    else if (m.dueDate <= addDays(asOf, DUE_SOON_DAYS)) risk.push(`Milestone "${m.title}" is due on ${m.dueDate} (within ${DUE_SOON_DAYS} days) and is not complete.${why}`);
  }
  for (const k of input.kpis) {
    if (k.latest === RagValue.RED && k.previous === RagValue.RED) off.push(`KPI "${k.name}" has been red for two consecutive periods.`);
    else if (k.latest === RagValue.RED) risk.push(`KPI "${k.name}" is red in its latest period.`);
    else if (k.latest === RagValue.AMBER) risk.push(`KPI "${k.name}" is amber.`);
  }
  const since = input.lastUpdateOn ?? input.startDate;
  if (since <= asOf && daysBetween(since, asOf) > STALE_UPDATE_DAYS) {
    risk.push(input.lastUpdateOn ? `No progress update since ${input.lastUpdateOn} (more than six weeks).` : `No progress update since the action started on ${input.startDate} (more than six weeks).`);
  }
  // A KPI that could not be read does not move the status, but the board is told
  // the status was judged without it.
  const unread = [...input.kpis.filter((k) => k.unavailable).map((k) => `KPI "${k.name}" could not be read: ${k.unavailable} did not answer.`), ...unjudged];
  if (off.length) return { status: ActionStatusValue.OFF_TRACK, reasons: [...off, ...risk, ...unread], overridden: false };
  if (risk.length) return { status: ActionStatusValue.AT_RISK, reasons: [...risk, ...unread], overridden: false };
  return { status: ActionStatusValue.ON_TRACK, reasons: unread, overridden: false };
}
