import { ALL_ROLES, type RoleName } from '../../subgraphs/toolkit/access';
import { TEST_LINK_KEY_SECRET } from '../support/databases';
import { startTestStack, type GraphQLResponse, type TestStack } from '../support/stack';
import { childIds, sql } from './helpers';

/**
 * The role matrix as behaviour, through the gateway: each row is a representative
 * query for one column of the matrix (docs/security.md), and what each role gets.
 * Add a row for a new field; every role must be listed (or covered by `others`).
 *
 * allowed      - data, no errors
 * forbidden    - a FORBIDDEN error and no value
 * unsuppressed - the same figures the designated clinical officer gets (figures as computed)
 * suppressed   - figures that differ from those, with at least one withheld as small
 */
type Outcome = 'allowed' | 'forbidden' | 'unsuppressed' | 'suppressed';

interface Fixtures {
  childId: string;
  /** A child health has referrals for. */
  childWithReferral: string;
  /** A child with an EHC needs assessment that health advice was asked for. */
  childWithAdvice: string;
  /** A Priority Action Plan action. */
  actionId: string;
  /** The district with the fewest children: small numbers are sure to appear. */
  district: string;
}

interface Row {
  column: string;
  name: string;
  query: (f: Fixtures) => string;
  expect: Partial<Record<RoleName, Outcome>> & { others: Outcome };
  /** What an allowed answer must contain, so that "allowed" is not passed by an empty list. */
  shows?: RegExp;
}

const TODAY = '2026-11-22';
const DCO: RoleName = 'designated_clinical_officer';
const AGGREGATE_ONLY = { icb_analyst: 'suppressed', executive: 'suppressed', board_member: 'suppressed', partner_app: 'suppressed' } as const;

const ROWS: Row[] = [
  {
    column: 'casework person-level',
    name: 'a child by id, with identifiers',
    query: (f) => `{ child(id: "${f.childId}") { id forename surname birthDate } }`,
    shows: /"forename":"/,
    expect: { la_caseworker: 'allowed', designated_clinical_officer: 'allowed', others: 'forbidden' },
  },
  {
    column: 'casework person-level',
    name: 'a child\'s EHC plans',
    query: (f) => `{ child(id: "${f.childId}") { ehcPlans { issueDate ceaseDate } } }`,
    expect: { la_caseworker: 'allowed', designated_clinical_officer: 'allowed', others: 'forbidden' },
  },
  {
    column: 'casework aggregates',
    name: 'casework measures for one district, by month',
    query: (f) => `{ caseworkMeasures(codes: ["EHCNA_REQUESTS", "EHC_20WK_EXCL"], from: "2025-01-01", to: "2026-10-31", filter: { district: ${JSON.stringify(f.district)} }) { code points { value numerator denominator suppressed } } }`,
    expect: { la_caseworker: 'unsuppressed', designated_clinical_officer: 'unsuppressed', ...AGGREGATE_ONLY, others: 'forbidden' },
  },
  {
    column: 'casework aggregates',
    name: 'the EHC pipeline forecast for one district (weekly counts and a projection)',
    query: (f) => `{ ehcPipelineForecast(asOf: "2026-10-31", filter: { district: ${JSON.stringify(f.district)} }) { openCount countsSuppressed passingTwentyWeeks { count suppressed expected } decisionsDue { count suppressed } reviewsDue { count suppressed } currentQuarter { plansIssuedCount percentSoFar projectedPercent suppressed } } }`,
    expect: { la_caseworker: 'unsuppressed', designated_clinical_officer: 'unsuppressed', ...AGGREGATE_ONLY, others: 'forbidden' },
  },
  {
    column: 'health person-level',
    name: 'referrals (pseudonymised, by link key)',
    query: () => `{ referrals(first: 5) { nodes { id linkKey pathway receivedDate } } }`,
    shows: /"pathway":"/,
    expect: { designated_clinical_officer: 'allowed', icb_analyst: 'allowed', others: 'forbidden' },
  },
  {
    column: 'health person-level',
    name: 'a child\'s referral details, through casework (not for the LA caseworker)',
    query: (f) => `{ child(id: "${f.childWithReferral}") { healthReferrals { pathway receivedDate } } }`,
    shows: /"pathway":"/,
    expect: { designated_clinical_officer: 'allowed', others: 'forbidden' },
  },
  {
    column: 'health person-level',
    name: 'health advice dates for a child\'s assessments (the LA caseworker\'s one health read)',
    query: (f) => `{ child(id: "${f.childWithAdvice}") { assessments { healthAdvice { askedDate returnedDate } } } }`,
    shows: /"askedDate":"\d{4}/,
    expect: { la_caseworker: 'allowed', designated_clinical_officer: 'allowed', others: 'forbidden' },
  },
  {
    column: 'health aggregates',
    name: 'health measures for one pathway, by month',
    query: () => `{ healthMeasures(codes: ["WAITING_COUNT", "WAITING_OVER_18WK_PCT"], from: "2025-01-01", to: "2026-10-31", filter: { pathway: SALT }) { code points { value numerator denominator suppressed } } }`,
    expect: { designated_clinical_officer: 'unsuppressed', icb_analyst: 'unsuppressed', la_caseworker: 'suppressed', executive: 'suppressed', board_member: 'suppressed', partner_app: 'suppressed', others: 'forbidden' },
  },
  {
    column: 'health aggregates',
    name: 'a waiting list by weeks waited (a breakdown with its total)',
    query: () => `{ waitingList(asOf: "2026-11-01", filter: { pathway: OT }) { total totalSuppressed bands { label count suppressed } } }`,
    expect: { designated_clinical_officer: 'unsuppressed', icb_analyst: 'unsuppressed', la_caseworker: 'suppressed', executive: 'suppressed', board_member: 'suppressed', partner_app: 'suppressed', others: 'forbidden' },
  },
  {
    column: 'governance',
    name: 'the Priority Action Plan',
    query: () => `{ priorityActions { nodes { reference } } }`,
    shows: /"reference":"/,
    expect: { auditor: 'forbidden', admin: 'forbidden', others: 'allowed' },
  },
  {
    column: 'governance',
    name: 'recording a progress update on an action (a write)',
    query: (f) => `mutation { recordProgressUpdate(input: { actionId: "${f.actionId}", recordedDate: "2026-11-20", currentPosition: "On track.", nextSteps: "Review in December." }) { progressUpdate { id } } }`,
    expect: { board_member: 'allowed', others: 'forbidden' },
    shows: /"id":"/,
  },
  {
    column: 'audit',
    name: 'the audit trail of all three data controllers',
    query: () => `{ caseworkAuditEvents(first: 1) { pageInfo { hasNextPage } } healthAuditEvents(first: 1) { pageInfo { hasNextPage } } governanceAuditEvents(first: 1) { pageInfo { hasNextPage } } }`,
    expect: { auditor: 'allowed', others: 'forbidden' },
  },
];

/** The value at an error's path: null when the refused field gave nothing (or a parent was nulled). */
function valueAt(data: unknown, path: readonly unknown[] = []): unknown {
  let v: unknown = data;
  for (const key of path) {
    if (v === null || v === undefined) return null;
    v = (v as Record<string, unknown>)[key as string];
  }
  return v ?? null;
}

/** Nothing readable under a value: null, or objects and lists holding only nulls (a refused field inside an answered parent). */
function holdsNothing(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v !== 'object') return false;
  return Object.values(v as Record<string, unknown>).every(holdsNothing);
}

function outcomeOf(res: GraphQLResponse, reference: GraphQLResponse): Outcome | string {
  const codes = (res.errors ?? []).map((e) => e.extensions?.code);
  if (codes.length) {
    if (codes.every((c) => c === 'FORBIDDEN') && (res.errors ?? []).every((e) => holdsNothing(valueAt(res.data, e.path)))) return 'forbidden';
    if (codes.includes('FORBIDDEN')) return `FORBIDDEN with a value left in: ${JSON.stringify(res.data).slice(0, 200)}`;
    return `errors: ${JSON.stringify(res.errors).slice(0, 300)}`;
  }
  const text = JSON.stringify(res.data);
  // Rows without disclosure flags are plain reads.
  if (!/uppressed":/.test(text)) return 'allowed';
  if (text === JSON.stringify(reference.data)) return 'unsuppressed';
  if (/uppressed":true/.test(text)) return 'suppressed';
  return `different figures and nothing withheld: ${text.slice(0, 200)}`;
}

describe('the role matrix, through the gateway', () => {
  let stack: TestStack;
  let fixtures: Fixtures;
  beforeAll(async () => {
    stack = await startTestStack({ seed: { linkKeySecret: TEST_LINK_KEY_SECRET, scale: 0.02, today: TODAY, log: () => undefined } });
    const childByLinkKey = async (table: string) => {
      const [row] = await sql<{ link_key: string }>(stack, 'health', `SELECT link_key FROM ${table} ORDER BY link_key LIMIT 1`);
      const [child] = row ? await sql<{ id: string }>(stack, 'casework', 'SELECT id FROM child WHERE link_key = $1', [row.link_key]) : [];
      return child?.id ?? (await childIds(stack, 1))[0];
    };
    const [smallest] = await sql<{ district: string }>(stack, 'casework', 'SELECT district FROM child WHERE district IS NOT NULL GROUP BY district ORDER BY count(*), district LIMIT 1');
    fixtures = {
      childId: (await childIds(stack, 1))[0],
      childWithReferral: await childByLinkKey('referral'),
      childWithAdvice: await childByLinkKey('health_advice_request'),
      district: smallest.district,
      actionId: (await sql<{ id: string }>(stack, 'governance', 'SELECT id FROM priority_action ORDER BY id LIMIT 1'))[0].id,
    };
  });
  afterAll(async () => stack?.stop());

  const cases = ROWS.flatMap((row) => ALL_ROLES.map((role) => [row.column, row.name, role, row.expect[role] ?? row.expect.others, row] as const));

  it.each(cases)('%s: %s as %s -> %s', async (_column, _name, role, expected, row) => {
    const query = row.query(fixtures);
    const reference = await stack.queryAs(DCO, query);
    const res = await stack.queryAs(role, query);
    expect(outcomeOf(res, reference)).toBe(expected);
    if (expected === 'allowed' && row.shows) expect(JSON.stringify(res.data)).toMatch(row.shows);
  });

  it('every write that succeeded above is in its subgraph\'s audit trail', async () => {
    const res = await stack.queryAs<{ governanceAuditEvents: { edges: Array<{ node: { userId: string; entityType: string } }> } }>('auditor', '{ governanceAuditEvents(filter: { action: WRITE }, first: 500) { edges { node { userId entityType } } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!.governanceAuditEvents.edges.map((e) => e.node.userId)).toContain('test-board_member');
  });

  it('covers every column of the matrix', () => {
    expect(new Set(ROWS.map((r) => r.column))).toEqual(new Set(['casework person-level', 'casework aggregates', 'health person-level', 'health aggregates', 'governance', 'audit']));
  });
});
