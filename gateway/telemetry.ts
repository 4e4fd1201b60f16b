import { observedGauge, subgraphErrors, subgraphFetchDuration } from '../platform/metrics';
import type { SubgraphMonitor } from './monitor';

/** How a call to a subgraph ended, as the subgraph metrics label it. */
export type FetchOutcome = 'ok' | 'error' | 'refused' | 'unavailable' | 'skipped';

/** One call to a subgraph: its latency by outcome, and its error code when it failed. */
export function recordSubgraphFetch(subgraph: string, outcome: FetchOutcome, seconds: number, code?: string): void {
  subgraphFetchDuration.observe({ subgraph, outcome }, seconds);
  if (code) subgraphErrors.inc({ subgraph, code });
}

/** Each subgraph's state as the monitor last found it, read at each scrape: 1 up, 0 down (not there until first checked). */
export function exportSubgraphHealth(monitor: SubgraphMonitor): void {
  observedGauge('send_subgraph_up', 'Whether the gateway finds each subgraph up (1) or down (0), by its readiness checks and calls.', ['subgraph', 'organisation'], () =>
    monitor
      .report()
      .filter((s) => s.state !== 'unknown')
      .map((s) => ({ labels: { subgraph: s.name, organisation: s.organisation }, value: s.state === 'up' ? 1 : 0 })),
  );
}
