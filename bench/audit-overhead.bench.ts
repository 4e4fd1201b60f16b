/**
 * Prints what auditing person-level reads costs: the same read of 10 children
 * with their plans through the gateway, against two stacks started side by side,
 * one auditing reads and one with casework's person-level list emptied (no
 * audit), requests interleaved so warm-up and machine load fall on both alike.
 * Figures only, no assertions. Run:
 *   npx jest --testMatch '<rootDir>/bench/audit-overhead.bench.ts'
 */
import { SUBGRAPHS } from '../infra/subgraphs';
import { TEST_LINK_KEY_SECRET } from '../test/support/databases';
import { startTestStack, type TestStack } from '../test/support/stack';
import { childIds, childrenById, sql } from '../test/security/helpers';

const RUNS = 40;
const WARM_UP = 10;
const seed = { linkKeySecret: TEST_LINK_KEY_SECRET, scale: 0.05, today: '2026-11-22', log: () => undefined };

async function timed(stack: TestStack, query: string): Promise<number> {
  const t = process.hrtime.bigint();
  const res = await stack.queryAs('designated_clinical_officer', query);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * p)].toFixed(1);

it('audit overhead of a 10-child read', async () => {
  const casework = SUBGRAPHS.find((s) => s.name === 'casework')! as { personLevelTypes: string[] };
  const original = casework.personLevelTypes;
  const audited = await startTestStack({ seed });
  casework.personLevelTypes = [];
  const unaudited = await startTestStack({ seed }).finally(() => (casework.personLevelTypes = original));
  try {
    const stacks = { audited, unaudited };
    const queries = { audited: childrenById(await childIds(audited, 10), 'id forename surname ehcPlans { issueDate }'), unaudited: childrenById(await childIds(unaudited, 10), 'id forename surname ehcPlans { issueDate }') };
    const ms: Record<string, number[]> = { audited: [], unaudited: [] };
    for (let i = 0; i < WARM_UP + RUNS; i++) {
      for (const name of i % 2 ? (['audited', 'unaudited'] as const) : (['unaudited', 'audited'] as const)) {
        const t = await timed(stacks[name], queries[name]);
        if (i >= WARM_UP) ms[name].push(t);
      }
    }
    const rows = (await sql<{ n: number }>(audited, 'casework', "SELECT count(*)::int AS n FROM audit_event WHERE action = 'READ'"))[0].n;
    console.log(
      [
        `10 children + their plans per request, ${RUNS} requests each, interleaved after ${WARM_UP} warm-up rounds:`,
        `  audited  : median ${pct(ms.audited, 0.5)} ms, p90 ${pct(ms.audited, 0.9)} ms (${rows} audit rows written in all)`,
        `  unaudited: median ${pct(ms.unaudited, 0.5)} ms, p90 ${pct(ms.unaudited, 0.9)} ms`,
      ].join('\n'),
    );
  } finally {
    await audited.stop();
    await unaudited.stop();
  }
}, 300_000);
