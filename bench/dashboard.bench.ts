// Prints how long the assurance dashboard and KPI readings take through the
// gateway, and how many SQL statements each subgraph sends. Not a test: no
// assertions on time. Run (GOV_BENCH_SCALE=1 for a Nottinghamshire-sized population):
//   npx jest --testMatch '<rootDir>/bench/dashboard.bench.ts'
import { TEST_LINK_KEY_SECRET } from '../test/support/databases';
import { startTestStack } from '../test/support/stack';

const SCALE = Number(process.env.GOV_BENCH_SCALE ?? '0.1');
const DASHBOARD = `{ assuranceDashboard(asOf: "2026-02-09") {
  kpiCards { name value periodEnd trajectoryValue rag trend englandComparator { value } }
  priorityActionPlan { area { reference } byStatus { status count } actions { action { reference } status } }
  actionsNeedingAttention { action { reference } status reasons latestNextSteps }
  overdueEscalations { issue } nextMeetings { heldDate } nextReviews { heldDate } familyVoiceThemes { theme count }
} }`;
const READINGS = '{ kpis { nodes { name reading(asOf: "2026-02-09") { value rag } } } priorityActions { nodes { reference assessment(asOf: "2026-02-09") { status } } } }';

it(`dashboard and readings at scale ${SCALE}`, async () => {
  const seedStart = Date.now();
  const stack = await startTestStack({ seed: { linkKeySecret: TEST_LINK_KEY_SECRET, scale: SCALE, today: '2026-03-01', log: () => undefined } });
  const lines = [`seed + start at scale ${SCALE}: ${Date.now() - seedStart} ms`];
  try {
    for (const [label, query] of [['assuranceDashboard', DASHBOARD], ['kpis.reading + priorityActions.assessment', READINGS]] as const) {
      const times: number[] = [];
      let statements = '';
      for (let i = 0; i < 6; i++) {
        for (const l of Object.values(stack.statements)) l.length = 0;
        const t = process.hrtime.bigint();
        const res = await stack.queryAs('executive', query);
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
        if (res.errors) throw new Error(JSON.stringify(res.errors));
        statements = Object.entries(stack.statements).map(([n, l]) => `${n} ${l.length}`).join(', ');
      }
      const warm = times.slice(1).sort((a, b) => a - b);
      lines.push(`${label}: first ${times[0].toFixed(0)} ms, warm median ${warm[2].toFixed(0)} ms (min ${warm[0].toFixed(0)}, max ${warm[4].toFixed(0)}); SQL statements per request: ${statements}`);
    }
  } finally {
    await stack.stop();
  }
  console.log(lines.join('\n'));
}, 1_800_000);
