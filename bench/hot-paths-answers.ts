/**
 * The answers of the hot read paths (the dashboard, and caseworker pages of 50
 * children) on a seeded stack, written as JSON, or compared with JSON written
 * before: what a change to how these paths read must leave exactly as it was.
 *
 *   node dist/bench/hot-paths-answers.js --data-dir DIR --ports BASE --out before.json
 *   node dist/bench/hot-paths-answers.js --data-dir DIR --ports BASE --compare before.json
 *
 * Prints "same" or the first differing paths, and exits 1 when they differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runScript } from './script';
import { startStackProcess } from './support/stack-process';

const AS_OF = '2026-11-22';

const DASHBOARD = `query Dashboard { assuranceDashboard(asOf: "${AS_OF}") {
  asOf
  kpiCards { name ownerOrganisation value periodStart periodEnd suppressed target trajectoryValue rag ragReason previousRag trend englandComparator { value year } }
  priorityActionPlan { area { id reference title } byStatus { status count } actions { action { id reference title } status reasons overridden latestNextSteps latestUpdateDate } }
  actionsNeedingAttention { action { id reference title } status reasons overridden latestNextSteps latestUpdateDate }
  overdueEscalations { issue responseDueDate raisedByOrganisation }
  nextMeetings { heldDate title } nextReviews { heldDate title } familyVoiceThemes { theme count responded }
} }`;

const CHILD_FIELDS = `id linkKey upn uln forename surname birthDate sex ethnicity postcode district primaryNeed
  team { id name }
  currentAllocation { id startDate endDate decidedBy reason caseworker { id name } team { id name } }
  allocatedWorker { id name }
  workerAllocations { id startDate endDate }
  requests { id receivedDate source outcome outcomeDate mediation tribunal decisionDueDate decisionWithinSixWeeks
    assessment { id outcome outcomeDate draftPlanDate week20Exception exceptionReason finalPlanDueDate epAdviceWithinSixWeeks healthAdviceWithinSixWeeks socialCareAdviceWithinSixWeeks
      healthAdvice { askedDate returnedDate returnedWithinSixWeeks } ehcPlan { id issueDate } request { id } child { id } } }
  assessments { id outcome outcomeDate }
  ehcPlans { id issueDate familyAgreedEarlyDate personalBudget ceaseDate ceaseReason weeksToIssue issuedWithinTwentyWeeks nextReviewDueDate reviewOverdue
    assessment { id outcome }
    placements { id rank urn ukprn senSetting senUnit resourcedProvision } senNeeds { id rank senType }
    annualReviews { id dueDate meetingDate outcome decisionDate decisionDueDate decisionWithinFourWeeks } }`;

/** The bench's caseworker page (bench/gateway.ts), then every field of the same children, two pages deep, and unfiltered. */
const PAGES: Array<{ name: string; query: string }> = [
  {
    name: 'caseworker-page (bench)',
    query: `query CaseworkerPage { children(first: 50, filter: { hasActivePlan: true, asOf: "${AS_OF}" }) { totalCount nodes { forename surname birthDate district primaryNeed
      requests { receivedDate source outcome outcomeDate decisionDueDate decisionWithinSixWeeks assessment { outcome outcomeDate draftPlanDate week20Exception finalPlanDueDate healthAdvice { askedDate returnedDate returnedWithinSixWeeks } } }
      ehcPlans { issueDate ceaseDate weeksToIssue issuedWithinTwentyWeeks placements { rank senSetting senUnit resourcedProvision } senNeeds { rank senType } annualReviews { dueDate meetingDate outcome } } } } }`,
  },
  { name: 'active plans, every field', query: `query P { children(first: 50, filter: { hasActivePlan: true, asOf: "${AS_OF}" }) { totalCount pageInfo { hasNextPage endCursor } nodes { ${CHILD_FIELDS} } } }` },
  { name: 'no filter', query: `query P { children(first: 50) { totalCount pageInfo { hasNextPage endCursor } nodes { ${CHILD_FIELDS} } } }` },
];

const { values: args } = parseArgs({ options: { 'data-dir': { type: 'string' }, ports: { type: 'string' }, out: { type: 'string' }, compare: { type: 'string' } } });

/** Paths where two JSON values differ (the first few). */
function differences(a: unknown, b: unknown, path = '$', out: string[] = []): string[] {
  if (out.length >= 10) return out;
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || (a === null) !== (b === null)) out.push(`${path}: ${JSON.stringify(a)?.slice(0, 80)} vs ${JSON.stringify(b)?.slice(0, 80)}`);
  else if (a && typeof a === 'object') {
    const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
    for (const k of keys) differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, out);
  } else if (a !== b) out.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  return out;
}

async function main(): Promise<void> {
  const base = Number(args.ports);
  const stack = await startStackProcess({ scale: '1', today: AS_OF, dataDir: args['data-dir']!, ports: { gateway: base, casework: base + 1, health: base + 2, governance: base + 3, postgres: base + 4 }, startTimeoutMs: 3_600_000, env: { LOG_LEVEL: 'warn' } });
  const answers: Record<string, unknown> = {};
  try {
    answers.dashboard = (await stack.post('executive', DASHBOARD)).body;
    // One action's assessment, every field (its milestones as judged included).
    answers.assessment = (await stack.post('executive', `query A { priorityActions(first: 100) { nodes { reference assessment(asOf: "${AS_OF}") { status reasons overridden kpis { name value rag trend } milestones { milestone { id title dueDate completedDate threshold kpi { name } } completedDate note unjudged } } } } }`)).body;
    for (const p of PAGES) answers[p.name] = (await stack.post('la_caseworker', p.query)).body;
    // The second page, by the first page's cursor.
    const first = answers['active plans, every field'] as { data?: { children?: { pageInfo?: { endCursor?: string } } } };
    const after = first.data?.children?.pageInfo?.endCursor;
    answers['active plans, page 2'] = (await stack.post('la_caseworker', `query P($after: String) { children(first: 50, after: $after, filter: { hasActivePlan: true, asOf: "${AS_OF}" }) { totalCount pageInfo { hasNextPage endCursor } nodes { ${CHILD_FIELDS} } } }`, { after })).body;
  } finally {
    await stack.stop();
  }
  for (const [name, body] of Object.entries(answers)) {
    const b = body as { errors?: unknown[]; data?: unknown };
    console.log(`${name}: ${b?.errors ? `ERRORS ${JSON.stringify(b.errors).slice(0, 300)}` : 'answered'} (${JSON.stringify(body).length} characters)`);
  }
  if (args.out) writeFileSync(args.out, JSON.stringify(answers, null, 1));
  if (args.compare) {
    const diff = differences(JSON.parse(readFileSync(args.compare, 'utf8')), answers);
    console.log(diff.length ? `DIFFERENT:\n${diff.join('\n')}` : 'same');
    if (diff.length) process.exitCode = 1;
  }
}

if (require.main === module) runScript(main);
