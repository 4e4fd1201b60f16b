/**
 * Prints every KPI's measure over time on a seeded stack, monthly and quarterly,
 * as the designated clinical officer (who sees figures as computed), so the
 * governance seed's targets and trajectories can be read against the synthetic
 * population they rate.
 *
 *   npm run build && node dist/bench/kpi-history.js [--scale 1] [--today 2026-11-22] [--from 2023-01-01]
 */
import { parseArgs } from 'node:util';
import { startStackProcess } from './support/stack-process';

const { values: args } = parseArgs({ options: { scale: { type: 'string', default: '1' }, today: { type: 'string', default: '2026-11-22' }, from: { type: 'string', default: '2023-01-01' } } });
const CASEWORK = ['EHC_20WK_EXCL', 'EHC_20WK_INCL', 'EHC_MEAN_WEEKS', 'EHCNA_REQUESTS', 'EHCNA_DECISION_6WK', 'EP_ADVICE_6WK', 'AR_DECISION_4WK', 'AR_OVERDUE', 'PLANS_ACTIVE', 'PLANS_NO_ALLOCATED_WORKER'];
const HEALTH = ['WAITING_COUNT', 'WAITING_OVER_18WK_PCT', 'ND_WAITING_OVER_13WK_PCT', 'FIRST_CONTACT_MEDIAN_WEEKS', 'CYP_MH_ACCESS', 'HEALTH_ADVICE_6WK_PCT', 'SPACE_FAMILIES_ENROLLED', 'SPACE_COMPLETION_PCT', 'SPACE_FASA_MEAN_CHANGE'];

async function main(): Promise<void> {
  const stack = await startStackProcess({ scale: args.scale!, today: args.today!, env: { LINK_KEY_SECRET: 'kpi-history-secret' } });
  try {
    for (const interval of ['QUARTER', 'MONTH']) {
      for (const [field, codes] of [['caseworkMeasures', CASEWORK], ['healthMeasures', HEALTH]] as const) {
        const a = await stack.post('designated_clinical_officer', `{ ${field}(codes: ${JSON.stringify(codes)}, from: "${args.from}", to: "${args.today}", interval: ${interval}) { code points { periodEnd value } } }`, undefined, 120_000);
        if (a.body?.errors) console.log(JSON.stringify(a.body.errors));
        for (const m of (a.body?.data?.[field] ?? []) as Array<{ code: string; points: Array<{ periodEnd: string; value: number | null }> }>) {
          console.log(`${interval.padEnd(7)} ${m.code.padEnd(28)} ${m.points.map((p) => `${p.periodEnd.slice(2, 7)}=${p.value === null ? '-' : Math.round(p.value * 10) / 10}`).join(' ')}`);
        }
      }
    }
  } finally {
    await stack.stop();
  }
}
main().catch((err) => { console.error(err); process.exit(1); });
