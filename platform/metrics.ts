import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Counter, Gauge, Histogram, register } from 'prom-client';

/**
 * The stack's Prometheus metrics, in prom-client's default registry: one per
 * process, served at /metrics by every server (platform/http.ts). Labels are
 * names the stack chose (subgraphs, outcomes) or operation names cut down to a
 * bounded set; nothing about a caller or a record is ever a label.
 */

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

let defaultsStarted = false;
/** Node's own process metrics (CPU, memory, event loop lag, GC), once per process. */
export function startProcessMetrics(): void {
  if (defaultsStarted) return;
  defaultsStarted = true;
  collectDefaultMetrics();
}

function metric<T>(name: string, make: () => T): T {
  // The in-process test stack loads this module once per test file but shares the registry within it.
  return (register.getSingleMetric(name) as T | undefined) ?? make();
}

export const graphqlRequests = metric('send_graphql_requests_total', () => new Counter({
  name: 'send_graphql_requests_total',
  help: 'GraphQL requests answered, by service, operation name and outcome (ok, error: answered with errors, rejected: 4xx, failed: 5xx).',
  labelNames: ['service', 'operation', 'outcome'] as const,
}));

export const graphqlDuration = metric('send_graphql_request_duration_seconds', () => new Histogram({
  name: 'send_graphql_request_duration_seconds',
  help: 'Time from a GraphQL request arriving to its response ending, by service, operation name and outcome.',
  labelNames: ['service', 'operation', 'outcome'] as const,
  buckets: SECONDS,
}));

export const subgraphFetchDuration = metric('send_subgraph_fetch_duration_seconds', () => new Histogram({
  name: 'send_subgraph_fetch_duration_seconds',
  help: 'The gateway\'s calls to each subgraph, by subgraph and outcome (ok, error: answered with errors, refused, unavailable, skipped: known down).',
  labelNames: ['subgraph', 'outcome'] as const,
  buckets: SECONDS,
}));

export const subgraphErrors = metric('send_subgraph_errors_total', () => new Counter({
  name: 'send_subgraph_errors_total',
  help: 'Subgraph calls from the gateway that failed, by subgraph and the error code the caller was given.',
  labelNames: ['subgraph', 'code'] as const,
}));

export const auditEvents = metric('send_audit_events_total', () => new Counter({
  name: 'send_audit_events_total',
  help: 'Entries appended to the audit trail, by database and action (READ, WRITE).',
  labelNames: ['database', 'action'] as const,
}));

export const auditFailures = metric('send_audit_failures_total', () => new Counter({
  name: 'send_audit_failures_total',
  help: 'Appends to the audit trail that failed (the request\'s person-level data was withheld), by database.',
  labelNames: ['database'] as const,
}));

/** A gauge read when scraped, from whatever `read` returns then (e.g. a pool's connections, a subgraph's state). */
export function observedGauge<L extends string>(name: string, help: string, labelNames: readonly L[], read: () => Array<{ labels: Record<L, string>; value: number }>): void {
  const existing = register.getSingleMetric(name);
  if (existing) register.removeSingleMetric(name);
  new Gauge({
    name,
    help,
    labelNames,
    collect() {
      this.reset();
      for (const { labels, value } of read()) this.set(labels, value);
    },
  });
}

const readers = new Map<string, Map<string, () => Array<{ labels: Record<string, string>; value: number }>>>();

/**
 * A gauge several parts of one process contribute to (each subgraph's database
 * pool in the in-process test stack, one per process otherwise): each registers
 * its own reader under a key, and drops it when it stops.
 */
export function contributeToGauge(name: string, help: string, labelNames: readonly string[], key: string, read: () => Array<{ labels: Record<string, string>; value: number }>): () => void {
  let byKey = readers.get(name);
  if (!byKey) {
    byKey = new Map();
    readers.set(name, byKey);
    const all = byKey;
    observedGauge(name, help, labelNames, () => [...all.values()].flatMap((r) => r()));
  }
  byKey.set(key, read);
  return () => byKey!.delete(key);
}

const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;
const MAX_OPERATIONS = 200;
const operationsSeen = new Set<string>();

/**
 * An operation name as a label: callers choose their operation names, so only
 * the first MAX_OPERATIONS distinct ones get a series of their own (a partner app
 * has a handful; a caller inventing one per request would otherwise grow the
 * registry without end); later ones are "other".
 */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return '(anonymous)';
  if (!OPERATION_NAME.test(name)) return 'other';
  if (operationsSeen.has(name)) return name;
  if (operationsSeen.size >= MAX_OPERATIONS) return 'other';
  operationsSeen.add(name);
  return name;
}

/** Whether this request may read /metrics: see metricsAllowed. */
function isLoopback(req: IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? '';
  const local = address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
  // A proxy on the same machine makes every caller look local: a forwarded request is never trusted as local.
  return local && !req.headers['x-forwarded-for'] && !req.headers.forwarded;
}

function tokenMatches(req: IncomingMessage, token: string): boolean {
  const m = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1]);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Who may read /metrics: with METRICS_TOKEN set, whoever sends it as a bearer
 * token (Prometheus's `authorization` setting), and no one else; without it, only
 * a caller on this machine (loopback, not forwarded by a proxy).
 */
export function metricsAllowed(req: IncomingMessage, env: NodeJS.ProcessEnv = process.env): boolean {
  const token = env.METRICS_TOKEN;
  return token ? tokenMatches(req, token) : isLoopback(req);
}

/** Answers GET /metrics in Prometheus's text format, or 403. */
export async function serveMetrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!metricsAllowed(req)) {
    const text = 'Metrics are served to this machine, or to callers with the METRICS_TOKEN.\n';
    res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  const text = await register.metrics();
  res.writeHead(200, { 'content-type': register.contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
