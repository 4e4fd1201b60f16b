import { context, INVALID_SPAN_CONTEXT, propagation, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import type { IncomingMessage } from 'node:http';

/**
 * OpenTelemetry tracing for one process: on when OTEL_EXPORTER_OTLP_ENDPOINT is
 * set (spans go there by OTLP over HTTP, batched), off otherwise, when every
 * span below is OpenTelemetry's no-op and costs next to nothing.
 *
 * What makes a trace: the server span of each request (platform/http.ts, from
 * the caller's W3C traceparent when it sends one); parsing, validation and
 * execution (tracingPlugin); the gateway's own spans for planning and each
 * subgraph fetch (@apollo/gateway emits them), with traceparent passed on to the
 * subgraph (injectTraceContext); and one span per SQL statement (the pg
 * instrumentation, which sees statements with their $1 placeholders, never the
 * values: enhancedDatabaseReporting stays off).
 */

let sdk: { shutdown(): Promise<void> } | null = null;

export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return !!env.OTEL_EXPORTER_OTLP_ENDPOINT || !!env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
}

/**
 * Starts the SDK for a process named `service`: call it first in an entry point,
 * before the database driver is loaded, for the pg instrumentation to see it.
 */
export function startTracing(service: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (sdk || !tracingEnabled(env)) return false;
  // Loaded only when on, so a process without tracing loads none of the SDK.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const node = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME || `send-${service}`,
    traceExporter: new OTLPTraceExporter(),
    instrumentations: [
      new PgInstrumentation({
        enhancedDatabaseReporting: false,
        requireParentSpan: true,
        // The ORM sends its statements with the values written in: keep the statement's shape only.
        requestHook: (span, info) => {
          const text = scrubSql(info.query.text);
          span.setAttribute('db.query.text', text);
          span.setAttribute('db.statement', text);
        },
      }),
    ],
    // Traces only: metrics are Prometheus's (/metrics), logs are stdout's.
    metricReaders: [],
    logRecordProcessors: [],
  });
  node.start();
  sdk = node;
  return true;
}

/**
 * Whether this process exports spans (startTracing ran). When it does not, the
 * functions below skip OpenTelemetry's no-op machinery altogether: it does
 * nothing, but it still costs every request a tracer lookup, a span object and a
 * context switch per phase.
 */
export function tracingActive(): boolean {
  return sdk !== null;
}

/** The span of every request while tracing is off: records nothing, carries no trace id. */
const NOT_RECORDED: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** Sends the spans not yet exported and stops the SDK (a stopping process calls it last). */
export async function stopTracing(): Promise<void> {
  const running = sdk;
  sdk = null;
  await running?.shutdown().catch(() => undefined);
}

/**
 * A statement with every literal replaced by `?`: the ORM inlines parameters
 * (an NHS number, a name, a date of birth would otherwise travel to the trace
 * store). Quoted identifiers stay; string, dollar-quoted and numeric literals go.
 */
export function scrubSql(sql: string): string {
  return sql
    .replace(/\$([A-Za-z_]*)\$[\s\S]*?\$\1\$/g, '?')
    .replace(/[EeXxBbUu]?&?'(?:[^']|'')*'/g, '?')
    .replace(/(?<![\w"$])[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w"])/g, '?');
}

const tracer = () => trace.getTracer('send-partnership-gateway');

/** The server span of one HTTP request, child of the caller's traceparent when given. */
export function startServerSpan(req: IncomingMessage, path: string): { span: Span; context: Context } {
  if (!tracingActive()) return { span: NOT_RECORDED, context: context.active() };
  const parent = propagation.extract(context.active(), req.headers);
  const span = tracer().startSpan(`${req.method ?? 'GET'} ${path}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? 'GET', 'url.path': path } }, parent);
  return { span, context: trace.setSpan(parent, span) };
}

/** Ends a server span with its status code and GraphQL operation name. */
export function endServerSpan(span: Span, status: number, operationName: string | undefined, requestId: string | undefined): void {
  span.setAttribute('http.response.status_code', status);
  if (operationName) span.setAttribute('graphql.operation.name', operationName);
  if (requestId) span.setAttribute('send.request_id', requestId);
  if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/** The trace id of a span, or undefined when tracing is off (no-op spans carry an all-zero id). */
export function traceIdOf(span: Span | undefined): string | undefined {
  const id = span?.spanContext().traceId;
  return id && !/^0+$/.test(id) ? id : undefined;
}

/** Sets traceparent (and tracestate) on an outgoing request's headers, from the span active now. */
export function injectTraceContext(headers: { set(name: string, value: string): unknown }): void {
  if (!tracingActive()) return;
  propagation.inject(context.active(), headers, { set: (carrier, key, value) => carrier.set(key, value) });
}

/** A child span of the active one, ended by the function returned (with the error, if any). */
export function childSpan(name: string, attributes: Record<string, string> = {}): (error?: unknown) => void {
  if (!tracingActive()) return () => undefined;
  const span = tracer().startSpan(name, { attributes });
  return (error?: unknown) => {
    if (error) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
}
