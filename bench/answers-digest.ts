/**
 * A digest of what the API answers on a seeded stack, as each role, for a fixed
 * date: figures (casework and health measures, every code, monthly and yearly),
 * the dashboard and action statuses, a caseworker's page, an analyst's referrals,
 * waiting list and SPACE cohorts, governance's lists. Run it before and after a
 * change that must not change behaviour: the same digests mean the same answers.
 * Ids are left out (the seed's uuids are random); everything else is compared.
 *
 *   npm run build && node dist/bench/answers-digest.js [--scale 0.1] [--today 2026-11-22] [--out answers.json]
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startStackProcess } from './support/stack-process';

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: '0.1' },
    today: { type: 'string', default: '2026-11-22' },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('Usage: node dist/bench/answers-digest.js [--scale 0.1] [--today 2026-11-22] [--out answers.json]');
  process.exit(0);
}
const AS_OF = args.today!;

const CASEWORK_CODES = ['EHC_20WK_EXCL', 'EHC_20WK_INCL', 'EHC_MEAN_WEEKS', 'EHCNA_REQUESTS', 'EHCNA_DECISION_6WK', 'EP_ADVICE_6WK', 'AR_DECISION_4WK', 'AR_OVERDUE', 'PLANS_ACTIVE', 'PLANS_NO_ALLOCATED_WORKER'];
const HEALTH_CODES = ['WAITING_COUNT', 'WAITING_OVER_18WK_PCT', 'COMMUNITY_WAITING_OVER_18WK_PCT', 'ND_WAITING_OVER_13WK_PCT', 'FIRST_CONTACT_MEDIAN_WEEKS', 'CYP_MH_ACCESS', 'HEALTH_ADVICE_6WK_PCT', 'SPACE_FAMILIES_ENROLLED', 'SPACE_COMPLETION_PCT', 'SPACE_FASA_MEAN_CHANGE'];
const points = 'points { periodStart periodEnd numerator denominator value suppressed }';

const QUERIES: Array<{ name: string; role: string; query: string }> = [
  ...['la_caseworker', 'executive'].flatMap((role) =>
    ['MONTH', 'YEAR'].map((interval) => ({
      name: `casework measures ${interval} as ${role}`,
      role,
      query: `{ caseworkMeasures(codes: ${JSON.stringify(CASEWORK_CODES)}, from: "2019-01-01", to: "${AS_OF}", interval: ${interval}) { code name unit ${points} } }`,
    })),
  ),
  { name: 'casework measures Mansfield as caseworker', role: 'la_caseworker', query: `{ caseworkMeasures(codes: ${JSON.stringify(CASEWORK_CODES)}, from: "2023-01-01", to: "${AS_OF}", interval: QUARTER, filter: { district: "Mansfield" }) { code ${points} } }` },
  ...['icb_analyst', 'executive'].flatMap((role) =>
    ['MONTH', 'YEAR'].map((interval) => ({
      name: `health measures ${interval} as ${role}`,
      role,
      query: `{ healthMeasures(codes: ${JSON.stringify(HEALTH_CODES)}, from: "2019-01-01", to: "${AS_OF}", interval: ${interval}) { code name unit ${points} } }`,
    })),
  ),
  ...['executive', 'board_member', 'partner_app', 'icb_analyst'].map((role) => ({
    name: `dashboard as ${role}`,
    role,
    query: `{ assuranceDashboard(asOf: "${AS_OF}") {
      asOf
      kpiCards { name ownerOrganisation value periodStart periodEnd suppressed target trajectoryValue rag previousRag trend englandComparator { value year } }
      priorityActionPlan { area { reference title } byStatus { status count } actions { action { reference } status } }
      actionsNeedingAttention { action { reference title } status reasons latestNextSteps }
      overdueEscalations { issue responseDueDate raisedByOrganisation }
      nextMeetings { heldDate title }
      nextReviews { heldDate title }
      familyVoiceThemes { theme count responded }
    } }`,
  })),
  {
    name: 'priority actions with assessments as board member',
    role: 'board_member',
    query: `{ priorityActions { nodes { reference title ownerOrganisation startDate published overrideStatus overrideExpiryDate
      milestones { title dueDate completedDate } progressUpdates { nodes { currentPosition nextSteps } }
      assessment(asOf: "${AS_OF}") { status reasons overridden kpis { name value rag trend } }
      kpis { name measureCode reading(asOf: "${AS_OF}") { value periodStart periodEnd rag } } } } }`,
  },
  { name: 'governance lists as board member', role: 'board_member', query: `{ governanceBodies { nodes { code name } } meetings { nodes { heldDate title } } papAreas { nodes { reference title } } kpis { nodes { name measureCode target } } escalations { nodes { issue raisedDate responseDueDate } } reviews { nodes { heldDate title } } familyFeedback { nodes { theme } } }` },
  {
    name: 'caseworker page',
    role: 'la_caseworker',
    query: `{ children(first: 50, filter: { hasActivePlan: true, asOf: "${AS_OF}" }) { totalCount nodes { forename surname birthDate district primaryNeed
      requests { receivedDate source outcome outcomeDate decisionDueDate decisionWithinSixWeeks assessment { outcome outcomeDate draftPlanDate week20Exception finalPlanDueDate healthAdvice { askedDate returnedDate returnedWithinSixWeeks } } }
      ehcPlans { issueDate ceaseDate weeksToIssue issuedWithinTwentyWeeks placements { rank senSetting senUnit resourcedProvision } senNeeds { rank senType } annualReviews { dueDate meetingDate outcome } } } } }`,
  },
  { name: 'referrals page as analyst', role: 'icb_analyst', query: `{ referrals(first: 200) { totalCount totalCountSuppressed nodes { linkKey pathway urgency receivedDate firstContactDate secondContactDate dischargeDate status(asOf: "${AS_OF}") weeksWaited(asOf: "${AS_OF}") service { code } } } }` },
  { name: 'waiting list as analyst and executive', role: 'icb_analyst', query: `{ waitingList(asOf: "${AS_OF}") { total totalSuppressed bands { label count suppressed } } }` },
  { name: 'SPACE cohorts as analyst', role: 'icb_analyst', query: `{ spaceCohorts(filter: { from: "2019-01-01", to: "${AS_OF}" }, first: 100) { nodes { name delivery startDate plannedSessions endDate outcomes { familiesEnrolled { value suppressed } completion { numerator denominator value suppressed } fasaMeanChange { value suppressed } } } } }` },
];

/** Drops ids (random per seed) so that two seeded stacks can be compared. */
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'id').map(([k, v]) => [k, withoutIds(v)]));
  return value;
}

async function main(): Promise<void> {
  // A fixed link-key secret: link keys (and so the referrals' order by them) are the same on every run.
  const stack = await startStackProcess({ scale: args.scale!, today: AS_OF, env: { LINK_KEY_SECRET: 'answers-digest-secret' } });
  const answers: Record<string, unknown> = {};
  const overall = createHash('sha256');
  try {
    for (const q of QUERIES) {
      const res = await stack.post(q.role, q.query, undefined, 120_000);
      const body = withoutIds({ status: res.status, data: res.body?.data ?? null, errors: (res.body?.errors ?? []).map((e) => ({ message: e.message, path: e.path, code: e.extensions?.code })) });
      const text = JSON.stringify(body);
      answers[q.name] = body;
      overall.update(text);
      const errors = res.body?.errors?.length ?? 0;
      console.log(`${createHash('sha256').update(text).digest('hex').slice(0, 16)}  ${q.name}${errors ? `  (${errors} errors: ${[...new Set(res.body!.errors!.map((e) => e.extensions?.code))].join(', ')})` : ''}`);
    }
  } finally {
    await stack.stop();
  }
  console.log(`${overall.digest('hex').slice(0, 16)}  all ${QUERIES.length} answers (scale ${args.scale}, as at ${AS_OF})`);
  if (args.out) writeFileSync(args.out, JSON.stringify(answers, null, 1));
}

main().catch((err: unknown) => {
  console.error(`answers digest failed: ${(err as Error).message}`);
  process.exit(1);
});
