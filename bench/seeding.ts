/**
 * Benchmark: seeding all three subgraphs' synthetic data at a scale, as `npm start`
 * does, into scratch databases: the time of each subgraph's load and of the whole,
 * and the peak resident memory of this (the seeding) process, read from the
 * operating system (/proc/self/status VmHWM). Run: npx tsc -p . ;
 * BENCH_SCALE=30 node dist/bench/seeding.js
 * Scales up to SEED_SCALE's maximum (120, England). Starts its own PostgreSQL in a
 * temporary directory (TMPDIR, if set) and removes it afterwards.
 * BENCH_DRAW_ONLY=1 draws what both seeds draw (every block's people, history,
 * referrals and SPACE cohorts) without a database: the generator's own time and
 * memory at a scale too large to load on a busy machine.
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
import { addSpaceFamilies, blockDraw, drawSpace, referralChunks } from '../subgraphs/health/seed/synthetic';
import { areaBlocks } from '../subgraphs/toolkit/synthetic/casework-history';
import { collectGarbage } from '../subgraphs/toolkit/synthetic/collect';
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
  if (process.env.BENCH_DRAW_ONLY === '1') return drawOnly(log, started);
  const scratch = await scratchDatabases('seeding-bench', [casework, health, governance], { linkKeySecret: 'bench-secret', scale: SCALE, today: today(), log }, log);
  try {
    clearInterval(sampler);
    console.log(`all three seeded at scale ${SCALE} in ${((performance.now() - started) / 1000).toFixed(1)} s (PostgreSQL start and migrations included); peak resident memory of the seeding process (VmHWM) ${peakMemoryMb()} MB`);
  } finally {
    await scratch.stop();
  }
}

/** The area drawn twice over, as the casework and health seeds draw it, with nothing inserted. */
async function drawOnly(log: (line: string) => void, started: number): Promise<void> {
  const counts = { people: 0, children: 0, requests: 0, reviews: 0, referrals: 0, families: 0 };
  const anyService = { get: (code: string) => code } as unknown as ReadonlyMap<string, string>;
  for (const pass of ['casework', 'health']) {
    for (const block of areaBlocks({ scale: SCALE, today: today() })) {
      if (pass === 'health') {
        // As the health seed draws them: referrals a chunk at a time, then SPACE from the families they named.
        const keys = new Map(block.people.map((p) => [p.nhsNumber, p.nhsNumber]));
        const families = new Set<string>();
        for (const referrals of referralChunks(block.people, keys, anyService, today(), blockDraw(block.index, counts.referrals))) {
          addSpaceFamilies(families, referrals);
          counts.referrals += referrals.length;
        }
        collectGarbage(); // as the health seed does before drawing the history again
        counts.families += drawSpace(families, 'SPACE', block.scale, today(), blockDraw(block.index, 0)).enrolments.length;
      } else counts.people += block.people.length;
      for (const chunk of block.chunks()) {
        if (pass === 'health') continue;
        counts.children += chunk.children.length;
        counts.requests += chunk.requests.length;
        counts.reviews += chunk.reviews.length;
      }
      log(`${pass}: block ${block.index + 1} of ${block.of} drawn; peak ${peakMemoryMb()} MB`);
    }
  }
  console.log(`drawn at scale ${SCALE} (nothing inserted): ${JSON.stringify(counts)} in ${((performance.now() - started) / 1000).toFixed(1)} s; peak resident memory (VmHWM) ${peakMemoryMb()} MB`);
}

if (require.main === module) runScript(main);
