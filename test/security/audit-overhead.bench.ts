/**
 * Prints what auditing person-level reads costs: the same read of 10 children
 * (with their plans) through the gateway, with the audit trail on, and with the
 * casework subgraph's person-level list emptied (no audit). Figures only, no
 * assertions. Run: npx jest --testMatch '<rootDir>/test/security/audit-overhead.bench.ts'
 */
import { SUBGRAPHS } from '../../infra/subgraphs';
import { TEST_LINK_KEY_SECRET } from '../support/databases';
import { startTestStack, type TestStack } from '../support/stack';
import { childIds, childrenById, sql } from './helpers';

const RUNS = 30;

async function time(stack: TestStack, query: string): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < RUNS + 3; i++) {
    const t = process.hrtime.bigint();
    const res = await stack.queryAs('designated_clinical_officer', query);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    if (i >= 3) ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return ms.sort((a, b) => a - b);
}

const median = (xs: number[]) => xs[Math.floor(xs.length / 2)];

it('audit overhead of a 10-child read', async () => {
  const casework = SUBGRAPHS.find((s) => s.name === 'casework')!;
  const original = casework.personLevelTypes;
  const lines: string[] = [];
  for (const audited of [true, false]) {
    (casework as { personLevelTypes: string[] }).personLevelTypes = audited ? original : [];
    const stack = await startTestStack({ seed: { linkKeySecret: TEST_LINK_KEY_SECRET, scale: 0.05, today: '2026-11-22', log: () => undefined } });
    try {
      // Ten children by id per request (the alias limit is 15), with their plans.
      const q = childrenById(await childIds(stack, 10), 'id forename surname ehcPlans { issueDate }');
      const ms = await time(stack, q);
      const rows = (await sql<{ n: number }>(stack, 'casework', 'SELECT count(*)::int AS n FROM audit_event'))[0].n;
      lines.push(`${audited ? 'audited  ' : 'unaudited'}: 10 children + plans per request, ${RUNS} requests: median ${median(ms).toFixed(1)} ms, p90 ${ms[Math.floor(ms.length * 0.9)].toFixed(1)} ms; audit rows written ${rows}`);
    } finally {
      await stack.stop();
    }
  }
  (casework as { personLevelTypes: string[] }).personLevelTypes = original;
  console.log(lines.join('\n'));
}, 300_000);
