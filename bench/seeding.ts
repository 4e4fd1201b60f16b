/**
 * Benchmark: seeding all three subgraphs' synthetic data at a scale, as `npm start`
 * does, into scratch databases: the time of each subgraph's load and of the whole,
 * and the peak resident memory of this (the seeding) process, read from the
 * operating system (/proc/self/status VmHWM). Run: npx tsc -p . ;
 * BENCH_SCALE=30 node dist/bench/seeding.js
 * Scales up to SEED_SCALE's maximum (120, England). Starts its own PostgreSQL in a
 * temporary directory (TMPDIR, if set) and removes it afterwards.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { MAX_SEED_SCALE } from '../platform/config';
import { casework } from '../subgraphs/casework/index';
import { governance } from '../subgraphs/governance/index';
import { health } from '../subgraphs/health/index';
import { peakMemoryMb } from '../subgraphs/toolkit/database/prepare';
import { scratchDatabases } from '../subgraphs/toolkit/database/scratch';
import { today } from '../subgraphs/toolkit/dates';
import { runScript } from './script';

const SCALE = Number(process.env.BENCH_SCALE || '1');

async function main(): Promise<void> {
  if (!(SCALE > 0 && SCALE <= MAX_SEED_SCALE)) throw new Error(`BENCH_SCALE must be above 0 and at most ${MAX_SEED_SCALE}.`);
  const started = performance.now();
  const log = (line: string) => console.log(`${((performance.now() - started) / 1000).toFixed(0).padStart(5)} s  ${line}`);
  // The resident memory every few seconds, so a run that is stopped early still shows how memory went.
  const sampler = setInterval(() => {
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (rss) log(`resident ${Math.round(Number(rss[1]) / 1024)} MB (peak ${peakMemoryMb()} MB)`);
  }, 30_000);
  sampler.unref();
  const scratch = await scratchDatabases('seeding-bench', [casework, health, governance], { linkKeySecret: 'bench-secret', scale: SCALE, today: today(), log }, log);
  try {
    clearInterval(sampler);
    console.log(`all three seeded at scale ${SCALE} in ${((performance.now() - started) / 1000).toFixed(1)} s (PostgreSQL start and migrations included); peak resident memory of the seeding process (VmHWM) ${peakMemoryMb()} MB`);
  } finally {
    await scratch.stop();
  }
}

if (require.main === module) runScript(main);
