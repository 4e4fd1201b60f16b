/**
 * Each measure code's time at two or more scales, side by side: what shows a
 * measure that grows with the data. The scales are seeded into databases of their
 * own and timed interleaved (code by code, run by run, one scale after the other),
 * so the machine's load falls on every scale alike.
 *
 *   BENCH_SCALES=1,30 node dist/bench/health-measures.js
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * CPU time in ms that a PostgreSQL server's client backends (the connections
 * answering the queries; not autovacuum or the other workers, whose rounds would
 * land on whichever call they overlap) have used so far, from Linux's /proc
 * (schedstat: nanoseconds); NaN where there is no such file. Less sensitive to the
 * machine's load than the wall clock.
 */
export function postgresCpuMs(postmasterPid: number | null): number {
  if (!postmasterPid) return NaN;
  const clientBackendCpu = (pid: string) => {
    try {
      // A client backend's title names its client's address: "postgres: user db 127.0.0.1(port) idle".
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('(')) return 0;
      return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
    } catch {
      return 0; // ended since it was listed
    }
  };
  try {
    const children = readFileSync(`/proc/${postmasterPid}/task/${postmasterPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return children.reduce((ms, pid) => ms + clientBackendCpu(pid), 0);
  } catch {
    return NaN;
  }
}

/** The scales asked for in BENCH_SCALES (comma-separated), or none. */
export function benchScales(): number[] {
  const raw = process.env.BENCH_SCALES;
  if (!raw) return [];
  const scales = raw.split(',').map((s) => Number(s.trim()));
  if (scales.length < 2 || scales.some((s) => !(s > 0))) throw new Error(`BENCH_SCALES must list two or more scales above 0, e.g. 1,30; got "${raw}".`);
  return scales;
}

/** Within this ratio of the first scale's time, a code is flat in the data's size (issue 15). */
export const FLAT_RATIO = 1.5;

/**
 * Times `run(scaleIndex, code)` `runs` times per code and scale after one warm-up,
 * interleaved, and prints each code's median at every scale and the ratio of the
 * last to the first. Returns the codes over FLAT_RATIO.
 */
export async function timeByScale(
  scales: readonly number[],
  codes: readonly string[],
  runs: number,
  run: (scaleIndex: number, code: string) => Promise<unknown>,
  serverCpuMs?: (scaleIndex: number) => number,
): Promise<string[]> {
  const ms = codes.map(() => scales.map(() => [] as number[]));
  const cpu = codes.map(() => scales.map(() => [] as number[]));
  for (let r = 0; r < runs + 1; r++) {
    for (let c = 0; c < codes.length; c++) {
      for (let s = 0; s < scales.length; s++) {
        const server0 = serverCpuMs?.(s) ?? 0;
        const node0 = process.cpuUsage();
        const t = performance.now();
        await run(s, codes[c]);
        if (r === 0) continue; // the first run warms the caches
        ms[c][s].push(performance.now() - t);
        const node = process.cpuUsage(node0);
        cpu[c][s].push((node.user + node.system) / 1000 + ((serverCpuMs?.(s) ?? 0) - server0));
      }
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const min = (xs: number[]) => Math.min(...xs);
  const over: string[] = [];
  console.log(`\neach code alone, monthly 2019-01-01..today: median (and fastest) of ${runs} runs after a warm-up, interleaved across scales; the ratio is of the medians`);
  console.log(`  ${'code'.padEnd(34)} ${scales.map((s) => `scale ${s}`.padStart(20)).join(' ')}   ratio ${scales[scales.length - 1]}/${scales[0]}`);
  codes.forEach((code, c) => {
    const medians = ms[c].map(median);
    const ratio = medians[medians.length - 1] / medians[0];
    if (ratio > FLAT_RATIO) over.push(code);
    console.log(`  ${code.padEnd(34)} ${medians.map((m, s) => `${m.toFixed(1)} ms (${min(ms[c][s]).toFixed(1)})`.padStart(20)).join(' ')}   ${ratio.toFixed(2)}x${ratio > FLAT_RATIO ? `  over ${FLAT_RATIO}x` : ''}`);
  });
  console.log(over.length ? `over ${FLAT_RATIO}x: ${over.join(', ')}` : `every code within ${FLAT_RATIO}x`);
  if (serverCpuMs && !Number.isNaN(serverCpuMs(0))) {
    // The same runs' CPU per call (this process and the scale's PostgreSQL backends): what a loaded machine distorts least.
    console.log(`\nCPU ms per call, median of the same ${runs} runs (Node + PostgreSQL's client backends); the ratio is of the medians`);
    codes.forEach((code, c) => {
      const per = cpu[c].map(median);
      console.log(`  ${code.padEnd(34)} ${per.map((m) => `${m.toFixed(2)} ms`.padStart(20)).join(' ')}   ${(per[per.length - 1] / per[0]).toFixed(2)}x`);
    });
  }
  return over;
}
