/**
 * A child's timeline: every request, decision, piece of advice, draft and final
 * plan, annual review, health advice and health referral on one line, oldest
 * first, each statutory deadline shown met or missed (or still due, or overdue).
 *
 * Pure: the facts come from the API's Child (through the gateway, so the read is
 * audited); where the API already judges a deadline (decisionWithinSixWeeks,
 * issuedWithinTwentyWeeks, …) its answer is used, so the page and the measures agree.
 */

export interface TimelineRequest {
  id: string;
  receivedDate: string;
  outcome: string;
  outcomeDate: string | null;
  decisionDueDate: string;
  decisionWithinSixWeeks: boolean | null;
}

export interface TimelineAssessment {
  id: string;
  outcome: string;
  outcomeDate: string | null;
  draftPlanDate: string | null;
  week20Exception: boolean;
  exceptionReason: string | null;
  finalPlanDueDate: string | null;
  epAdviceAskedDate: string | null;
  epAdviceReturnedDate: string | null;
  epAdviceWithinSixWeeks: boolean | null;
  healthAdviceAskedDate: string | null;
  healthAdviceReturnedDate: string | null;
  healthAdviceWithinSixWeeks: boolean | null;
  socialCareAdviceAskedDate: string | null;
  socialCareAdviceReturnedDate: string | null;
  socialCareAdviceWithinSixWeeks: boolean | null;
  request: { id: string } | null;
  /** The ICB's own record of the health advice (dates only); null when health holds none or the role may not read it. */
  healthAdvice: { askedDate: string; returnedDate: string | null; dueDate: string; returnedWithinSixWeeks: boolean | null } | null;
}

export interface TimelineReview {
  id: string;
  dueDate: string;
  meetingDate: string | null;
  outcome: string | null;
  decisionDate: string | null;
  decisionDueDate: string | null;
  decisionWithinFourWeeks: boolean | null;
}

export interface TimelinePlan {
  id: string;
  issueDate: string;
  ceaseDate: string | null;
  ceaseReason: string | null;
  weeksToIssue: number | null;
  issuedWithinTwentyWeeks: boolean | null;
  nextReviewDueDate: string | null;
  reviewOverdue: boolean;
  assessment: { id: string } | null;
  annualReviews: TimelineReview[];
}

export interface TimelineReferral {
  id: string;
  pathway: string;
  receivedDate: string;
  firstContactDate: string | null;
  secondContactDate: string | null;
  dischargeDate: string | null;
  service: { name: string } | null;
}

export interface TimelineChild {
  requests: TimelineRequest[];
  assessments: TimelineAssessment[];
  ehcPlans: TimelinePlan[];
  /** Null when the role may not read health referrals. */
  healthReferrals: TimelineReferral[] | null;
}

export type DeadlineStatus = 'met' | 'missed' | 'due' | 'overdue' | 'exception';

export interface Deadline {
  /** What had to happen, e.g. "Decision whether to assess within 6 weeks". */
  what: string;
  dueDate: string;
  status: DeadlineStatus;
}

export type EventKind = 'request' | 'decision' | 'advice' | 'draft-plan' | 'assessment' | 'final-plan' | 'review' | 'plan-ceased' | 'referral' | 'health-contact' | 'discharge' | 'deadline';

export interface TimelineEvent {
  date: string;
  kind: EventKind;
  /** Who holds the record: the council's casework or the ICB's health services. */
  source: 'council' | 'health';
  title: string;
  detail?: string;
  deadline?: Deadline;
}

export const STATUS_WORDS: Record<DeadlineStatus, string> = {
  met: 'Met',
  missed: 'Missed',
  due: 'Due',
  overdue: 'Overdue',
  exception: 'Exception applies',
};

const SIX_WEEKS = 42;

export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A deadline's status: the API's judgement when it has one, else done by the due date; not done: due, or overdue after it. */
export function deadlineStatus(dueDate: string, doneDate: string | null, judged: boolean | null | undefined, asOf: string): DeadlineStatus {
  if (doneDate) return (judged ?? doneDate <= dueDate) ? 'met' : 'missed';
  return asOf > dueDate ? 'overdue' : 'due';
}

const words = (code: string) => code.charAt(0) + code.slice(1).toLowerCase().replace(/_/g, ' ');

/** Advice asked and returned (or still awaited), with its 6-week deadline. */
function adviceEvents(kind: string, asked: string | null, returned: string | null, judged: boolean | null, asOf: string, dueDate?: string, source: 'council' | 'health' = 'council'): TimelineEvent[] {
  if (!asked) return [];
  const due = dueDate ?? addDays(asked, SIX_WEEKS);
  const what = `${kind} advice within 6 weeks`;
  const events: TimelineEvent[] = [{ date: asked, kind: 'advice', source, title: `${kind} advice asked for` }];
  const status = deadlineStatus(due, returned, judged, asOf);
  events.push(returned
    ? { date: returned, kind: 'advice', source, title: `${kind} advice returned`, deadline: { what, dueDate: due, status } }
    : { date: due, kind: 'deadline', source, title: `${kind} advice ${status === 'overdue' ? 'not returned by its due date' : 'due'}`, deadline: { what, dueDate: due, status } });
  return events;
}

export function assembleTimeline(child: TimelineChild, asOf: string): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  for (const r of child.requests) {
    events.push({ date: r.receivedDate, kind: 'request', source: 'council', title: 'Request for an EHC needs assessment received' });
    if (r.outcome === 'WITHDRAWN') {
      if (r.outcomeDate) events.push({ date: r.outcomeDate, kind: 'decision', source: 'council', title: 'Request withdrawn' });
      continue;
    }
    const what = 'Decision whether to assess within 6 weeks';
    const status = deadlineStatus(r.decisionDueDate, r.outcomeDate, r.decisionWithinSixWeeks, asOf);
    if (r.outcomeDate && r.outcome !== 'NOT_YET_DECIDED') {
      events.push({ date: r.outcomeDate, kind: 'decision', source: 'council', title: r.outcome === 'ASSESS' ? 'Decided to assess' : 'Decided not to assess', deadline: { what, dueDate: r.decisionDueDate, status } });
    } else {
      events.push({ date: r.decisionDueDate, kind: 'deadline', source: 'council', title: status === 'overdue' ? 'Decision whether to assess not made by its due date' : 'Decision whether to assess due', deadline: { what, dueDate: r.decisionDueDate, status } });
    }
  }
  const planByAssessment = new Map(child.ehcPlans.filter((p) => p.assessment).map((p) => [p.assessment!.id, p]));
  for (const a of child.assessments) {
    events.push(...adviceEvents('Educational psychology', a.epAdviceAskedDate, a.epAdviceReturnedDate, a.epAdviceWithinSixWeeks, asOf));
    // Health's own record of its advice, where it has one; otherwise what the council recorded.
    if (a.healthAdvice) events.push(...adviceEvents('Health', a.healthAdvice.askedDate, a.healthAdvice.returnedDate, a.healthAdvice.returnedWithinSixWeeks, asOf, a.healthAdvice.dueDate, 'health'));
    else events.push(...adviceEvents('Health', a.healthAdviceAskedDate, a.healthAdviceReturnedDate, a.healthAdviceWithinSixWeeks, asOf));
    events.push(...adviceEvents('Social care', a.socialCareAdviceAskedDate, a.socialCareAdviceReturnedDate, a.socialCareAdviceWithinSixWeeks, asOf));
    if (a.draftPlanDate) events.push({ date: a.draftPlanDate, kind: 'draft-plan', source: 'council', title: 'Draft EHC plan sent to the family', detail: 'The family has at least 15 days to comment.' });
    if (a.outcome === 'NOT_ISSUE_PLAN' && a.outcomeDate) events.push({ date: a.outcomeDate, kind: 'assessment', source: 'council', title: 'Decided not to issue an EHC plan' });
    if (a.outcome === 'WITHDRAWN' && a.outcomeDate) events.push({ date: a.outcomeDate, kind: 'assessment', source: 'council', title: 'Assessment withdrawn' });
    const plan = planByAssessment.get(a.id);
    if (a.finalPlanDueDate && !plan && (a.outcome === 'PENDING' || a.outcome === 'ISSUE_PLAN')) {
      const status: DeadlineStatus = a.week20Exception ? 'exception' : deadlineStatus(a.finalPlanDueDate, null, null, asOf);
      events.push({ date: a.finalPlanDueDate, kind: 'deadline', source: 'council', title: status === 'overdue' ? 'Final EHC plan not issued within 20 weeks' : 'Final EHC plan due', deadline: { what: 'Final EHC plan within 20 weeks', dueDate: a.finalPlanDueDate, status } });
    }
  }
  const assessments = new Map(child.assessments.map((a) => [a.id, a]));
  for (const p of child.ehcPlans) {
    const a = p.assessment ? assessments.get(p.assessment.id) : undefined;
    const due = a?.finalPlanDueDate ?? null;
    const status: DeadlineStatus | null = !due ? null : a?.week20Exception ? 'exception' : deadlineStatus(due, p.issueDate, p.issuedWithinTwentyWeeks, asOf);
    events.push({
      date: p.issueDate,
      kind: 'final-plan',
      source: 'council',
      title: 'Final EHC plan issued',
      detail: p.weeksToIssue !== null ? `${p.weeksToIssue.toLocaleString('en-GB', { maximumFractionDigits: 1 })} weeks after the request${a?.week20Exception && a.exceptionReason ? ` (exception: ${words(a.exceptionReason).toLowerCase()})` : ''}.` : 'Transferred in or issued before the records began.',
      ...(due && status ? { deadline: { what: 'Final EHC plan within 20 weeks', dueDate: due, status } } : {}),
    });
    for (const r of p.annualReviews) {
      const meeting = deadlineStatus(r.dueDate, r.meetingDate, null, asOf);
      if (r.meetingDate) {
        events.push({ date: r.meetingDate, kind: 'review', source: 'council', title: 'Annual review meeting held', deadline: { what: 'Annual review within 12 months', dueDate: r.dueDate, status: meeting } });
      } else {
        events.push({ date: r.dueDate, kind: 'deadline', source: 'council', title: meeting === 'overdue' ? 'Annual review meeting not held by its due date' : 'Annual review due', deadline: { what: 'Annual review within 12 months', dueDate: r.dueDate, status: meeting } });
      }
      if (r.decisionDueDate) {
        const decision = deadlineStatus(r.decisionDueDate, r.decisionDate, r.decisionWithinFourWeeks, asOf);
        events.push(r.decisionDate
          ? { date: r.decisionDate, kind: 'review', source: 'council', title: `Annual review decision: ${r.outcome ? words(r.outcome).toLowerCase() : 'recorded'}`, deadline: { what: 'Review decision within 4 weeks of the meeting', dueDate: r.decisionDueDate, status: decision } }
          : { date: r.decisionDueDate, kind: 'deadline', source: 'council', title: decision === 'overdue' ? 'Annual review decision not made by its due date' : 'Annual review decision due', deadline: { what: 'Review decision within 4 weeks of the meeting', dueDate: r.decisionDueDate, status: decision } });
      }
    }
    // The next review, when no review record stands for it yet.
    if (p.nextReviewDueDate && !p.annualReviews.some((r) => r.dueDate === p.nextReviewDueDate)) {
      const status: DeadlineStatus = p.reviewOverdue ? 'overdue' : 'due';
      events.push({ date: p.nextReviewDueDate, kind: 'deadline', source: 'council', title: status === 'overdue' ? 'Annual review overdue' : 'Next annual review due', deadline: { what: 'Annual review within 12 months', dueDate: p.nextReviewDueDate, status } });
    }
    if (p.ceaseDate) events.push({ date: p.ceaseDate, kind: 'plan-ceased', source: 'council', title: 'EHC plan ceased', ...(p.ceaseReason ? { detail: `${words(p.ceaseReason)}.` } : {}) });
  }
  for (const f of child.healthReferrals ?? []) {
    const where = `${words(f.pathway)}${f.service ? `, ${f.service.name}` : ''}`;
    events.push({ date: f.receivedDate, kind: 'referral', source: 'health', title: `Referral received: ${where}` });
    if (f.firstContactDate) events.push({ date: f.firstContactDate, kind: 'health-contact', source: 'health', title: `First care contact: ${where}`, detail: `${weeksBetween(f.receivedDate, f.firstContactDate)} weeks after the referral.` });
    if (f.secondContactDate) events.push({ date: f.secondContactDate, kind: 'health-contact', source: 'health', title: `Treatment started: ${where}` });
    if (f.dischargeDate) events.push({ date: f.dischargeDate, kind: 'discharge', source: 'health', title: `Discharged: ${where}` });
  }
  // Oldest first; on one day, in the order things happen (a request before its decision).
  const order: EventKind[] = ['request', 'referral', 'advice', 'decision', 'draft-plan', 'assessment', 'final-plan', 'review', 'health-contact', 'discharge', 'plan-ceased', 'deadline'];
  return events
    .map((e, i) => ({ e, i }))
    .sort((x, y) => (x.e.date < y.e.date ? -1 : x.e.date > y.e.date ? 1 : order.indexOf(x.e.kind) - order.indexOf(y.e.kind) || x.i - y.i))
    .map(({ e }) => e);
}

/** Weeks between two dates, one decimal (days / 7), as the API counts waits. */
export function weeksBetween(from: string, to: string): string {
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
  return (Math.round((days / 7) * 10) / 10).toLocaleString('en-GB');
}

/** How many deadlines were met, missed, overdue and due: the summary above the line. */
export function deadlineSummary(events: TimelineEvent[]): Record<DeadlineStatus, number> {
  const summary: Record<DeadlineStatus, number> = { met: 0, missed: 0, due: 0, overdue: 0, exception: 0 };
  for (const e of events) if (e.deadline) summary[e.deadline.status]++;
  return summary;
}
