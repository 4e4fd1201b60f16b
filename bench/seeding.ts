/**
 * Benchmark: seeding all three subgraphs' synthetic data at a scale, as `npm start`
 * does, into scratch databases: the time and peak memory of each subgraph's load
 * (printed as it goes) and of the whole. Run: npx tsc -p . ;
 * BENCH_SCALE=30 node dist/bench/seeding.js
 * (SEED_SCALE's cap does not apply here, so scales above it can be sized first.)
 * Starts its own PostgreSQL in a temporary directory and removes it afterwards.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { casework } from '../subgraphs/casework/index';
import { governance } from '../subgraphs/governance/index';
import { health } from '../subgraphs/health/index';
import { scratchDatabases } from '../subgraphs/toolkit/database/scratch';
import { today } from '../subgraphs/toolkit/dates';
import { runScript } from './script';

const SCALE = Number(process.env.BENCH_SCALE || '1');

async function main(): Promise<void> {
  const started = performance.now();
  const log = (line: string) => console.log(line);
  const scratch = await scratchDatabases('seeding-bench', [casework, health, governance], { linkKeySecret: 'bench-secret', scale: SCALE, today: today(), log }, log);
  try {
    console.log(`all three seeded at scale ${SCALE} in ${((performance.now() - started) / 1000).toFixed(1)} s (PostgreSQL start and migrations included); peak memory of this process ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  } finally {
    await scratch.stop();
  }
}

if (require.main === module) runScript(main);
