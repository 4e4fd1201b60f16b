import { organisationOf } from './partial';

export type SubgraphStatus = 'up' | 'down' | 'unknown';

/** One subgraph's state as /health/subgraphs reports it. */
export interface SubgraphState {
  name: string;
  organisation: string;
  state: SubgraphStatus;
  /** When the state last changed (ISO 8601), or null before the first check. */
  since: string | null;
  /** When it was last checked: a readiness probe, or a request that it answered or failed. */
  lastCheckedAt: string | null;
  /** How long the last check took, in ms. */
  latencyMs: number | null;
  /** Why it is down, in words (never its address). */
  problem: string | null;
}

export interface MonitorOptions {
  /** How often each subgraph's /health/ready is probed while it is up; while it is down, every second at most. */
  intervalMs: number;
  /** How long a probe may take before the subgraph counts as down. */
  probeTimeoutMs: number;
}

/** A subgraph's state as kept: times as epoch ms, turned into ISO 8601 only when reported (a request records one each). */
interface KeptState extends Omit<SubgraphState, 'since' | 'lastCheckedAt'> {
  since: number | null;
  lastCheckedAt: number | null;
  /** When a request to it was last answered (performance.now()). */
  answeredAt: number;
}

/**
 * What the gateway knows of each subgraph: probed on its readiness endpoint
 * every few seconds, and at once when a request to it fails. A subgraph whose
 * probe fails is down: requests skip it (their fields come back null, naming it)
 * instead of each waiting out its deadline, until a probe finds it back. A
 * probe that times out while requests to the subgraph are being answered finds
 * it busy, not down; one whose deadline passed while the gateway itself was held
 * is made again before it counts.
 */
export class SubgraphMonitor {
  private readonly states = new Map<string, KeptState>();
  private readonly probing = new Map<string, Promise<void>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly readyUrls: Record<string, string>,
    private readonly options: MonitorOptions,
  ) {
    for (const name of Object.keys(readyUrls)) {
      this.states.set(name, { name, organisation: organisationOf(name), state: 'unknown', since: null, lastCheckedAt: null, latencyMs: null, problem: null, answeredAt: -Infinity });
    }
  }

  start(): void {
    for (const name of this.states.keys()) void this.probe(name);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  isDown(name: string): boolean {
    return this.states.get(name)?.state === 'down';
  }

  report(): SubgraphState[] {
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return [...this.states.values()].map(({ answeredAt: _, ...s }) => ({ ...s, since: iso(s.since), lastCheckedAt: iso(s.lastCheckedAt) }));
  }

  /** A request to the subgraph was answered. */
  answered(name: string, latencyMs: number): void {
    this.record(name, 'up', latencyMs, null);
    const s = this.states.get(name);
    if (s) s.answeredAt = performance.now();
  }

  /** A request to the subgraph failed without an answer: probe it now. */
  failed(name: string): void {
    void this.probe(name);
  }

  private record(name: string, state: SubgraphStatus, latencyMs: number | null, problem: string | null): void {
    const s = this.states.get(name);
    if (!s) return;
    const now = Date.now();
    if (s.state !== state) s.since = now;
    s.state = state;
    s.lastCheckedAt = now;
    s.latencyMs = latencyMs === null ? null : Math.round(latencyMs);
    s.problem = problem;
  }

  /** Probes one subgraph (one probe at a time each) and schedules the next. */
  probe(name: string): Promise<void> {
    const running = this.probing.get(name);
    if (running) return running;
    const p = this.check(name).finally(() => {
      this.probing.delete(name);
      this.schedule(name);
    });
    this.probing.set(name, p);
    return p;
  }

  private async check(name: string, again = false): Promise<void> {
    const started = performance.now();
    try {
      const res = await fetch(this.readyUrls[name], { signal: AbortSignal.timeout(this.options.probeTimeoutMs) });
      await res.arrayBuffer();
      const ms = performance.now() - started;
      if (res.ok) this.record(name, 'up', ms, null);
      else this.record(name, 'down', ms, `not ready (HTTP ${res.status})`);
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      // A slow probe of a subgraph that answered requests while it waited is busy, not down:
      // skipping it would turn every request's answer partial for as long as it stays busy.
      if (e.name === 'TimeoutError' && (this.states.get(name)?.answeredAt ?? -Infinity) >= started) return;
      // A deadline noticed well after it passed means this process was held (a long synchronous task):
      // the subgraph was never given its time, so it is checked again, once, before it counts as down.
      if (e.name === 'TimeoutError' && !again && performance.now() - started > this.options.probeTimeoutMs * 1.5) return this.check(name, true);
      const problem = e.name === 'TimeoutError' ? `no answer within ${this.options.probeTimeoutMs} ms` : e.cause?.code === 'ECONNREFUSED' ? 'refused the connection' : 'could not be reached';
      this.record(name, 'down', null, problem);
    }
  }

  private schedule(name: string): void {
    if (this.stopped) return;
    clearTimeout(this.timers.get(name));
    const delay = this.isDown(name) ? Math.min(1_000, this.options.intervalMs) : this.options.intervalMs;
    this.timers.set(name, setTimeout(() => void this.probe(name), delay).unref());
  }
}
