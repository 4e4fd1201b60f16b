import type { ApolloServerPlugin, BaseContext, GraphQLResponse } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import { context as otelContext, type Span } from '@opentelemetry/api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { log, requestScope } from './logger';
import { graphqlDuration, graphqlRequests, operationLabel } from './metrics';
import { childSpan, endServerSpan, startServerSpan, traceIdOf, tracingActive } from './tracing';

/**
 * What is known of one request as it goes, for its access-log line, its metrics
 * and its server span: filled in by the HTTP layer (path, status), the context
 * (request id, user) and observationPlugin (operation name, errors).
 */
export interface RequestObservation {
  service: string;
  method: string;
  path: string;
  /** The query string, with its "?" (a GET's GraphQL request); empty when none. */
  search: string;
  started: number;
  span: Span;
  traceId?: string;
  requestId?: string;
  userId?: string;
  operationName?: string;
  /** The GraphQL response carried errors. */
  graphqlErrors?: number;
  /** A subgraph's answer the gateway sends as it is, in place of Apollo's placeholder (platform/http.ts, answerVerbatim). */
  verbatimAnswer?: string;
}


/** Paths that are not logged at info (probes every few seconds, scrapes): at debug. */
const QUIET = new Set(['/health/live', '/health/ready', '/health/subgraphs', '/metrics']);

/** Begins observing a request; `run` runs its handling inside its server span. */
export function observeRequest(service: string, req: IncomingMessage): { observation: RequestObservation; run<T>(fn: () => T): T } {
  // Parsed once per request: the HTTP layer routes on these too.
  const { pathname: path, search } = new URL(req.url ?? '/', 'http://localhost');
  // The span's name and attributes carry the path only: a GET's query string is GraphQL and its variables.
  const { span, context } = startServerSpan(req, path);
  const observation: RequestObservation = { service, method: req.method ?? 'GET', path, search, started: performance.now(), span, traceId: traceIdOf(span) };
  // Without tracing there is no span context to carry: the request scope alone.
  if (!tracingActive()) return { observation, run: (fn) => requestScope.run(observation, fn) };
  return { observation, run: (fn) => requestScope.run(observation, () => otelContext.with(context, fn)) };
}

/** Notes who is asking and the request's id, from its GraphQL context. */
export function attachContext(observation: RequestObservation, contextValue: object): void {
  const c = contextValue as { requestId?: unknown; userId?: unknown; caller?: { userId?: unknown } | null };
  if (typeof c.requestId === 'string') observation.requestId = c.requestId;
  const user = c.caller?.userId ?? c.userId;
  if (typeof user === 'string') observation.userId = user;
}

function outcomeOf(status: number, graphqlErrors: number | undefined): 'ok' | 'error' | 'rejected' | 'failed' {
  if (status >= 500) return 'failed';
  if (status >= 400) return 'rejected';
  return graphqlErrors ? 'error' : 'ok';
}

/**
 * Ends a request: one access-log line (method, path, status, duration, request
 * id, operation, user, trace id, and never a header, token, query or variable),
 * its GraphQL metrics, its server span.
 */
export function endRequest(observation: RequestObservation, res: ServerResponse): void {
  const status = res.statusCode;
  const seconds = (performance.now() - observation.started) / 1000;
  const o = observation;
  const outcome = outcomeOf(status, o.graphqlErrors);
  if (o.path.endsWith('/graphql')) {
    const labels = { service: o.service, operation: operationLabel(o.operationName), outcome };
    graphqlRequests.inc(labels);
    graphqlDuration.observe(labels, seconds);
  }
  endServerSpan(o.span, status, o.operationName, o.requestId);
  const line = {
    msg: 'request',
    method: o.method,
    path: o.path,
    status,
    durationMs: Math.round(seconds * 10_000) / 10,
    requestId: o.requestId,
    operation: o.operationName,
    user: o.userId,
    traceId: o.traceId,
    errors: o.graphqlErrors,
  };
  const logger = log();
  if (QUIET.has(o.path) && status < 500) logger.debug(line);
  else if (status >= 500) logger.error(line);
  else logger.info(line);
}

/** An error the HTTP layer caught, on one line with the request's id. */
export function logRequestError(observation: RequestObservation | undefined, err: unknown, message: string): void {
  log().error({ err, requestId: observation?.requestId, operation: observation?.operationName, traceId: observation?.traceId }, message);
}

/**
 * The request being answered (the HTTP layer runs each in its own scope). Not
 * looked up by GraphQL context: Apollo hands plugins a copy of it.
 */
export function currentObservation(): RequestObservation | undefined {
  return requestScope.getStore() as RequestObservation | undefined;
}

/**
 * Apollo plugin: the operation name and whether errors were answered, for the
 * access log and metrics, and spans for parsing, validation and execution.
 */
export function observationPlugin<C extends BaseContext>(): ApolloServerPlugin<C> {
  // Apollo calls every hook a listener has, per request: the span hooks only while tracing.
  const observe = {
    async didResolveOperation({ operationName }: { operationName?: string | null }) {
      const o = currentObservation();
      if (o && operationName) o.operationName = operationName;
    },
    async willSendResponse({ response, errors }: { response: GraphQLResponse; errors?: readonly GraphQLError[] }) {
      const o = currentObservation();
      if (!o) return;
      const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
      o.graphqlErrors = body?.errors?.length ?? errors?.length ?? 0;
    },
  };
  return {
    async requestDidStart() {
      if (!tracingActive()) return observe;
      return {
        ...observe,
        async parsingDidStart() {
          const end = childSpan('graphql.parse');
          return async (error?: Error) => end(error);
        },
        async validationDidStart() {
          const end = childSpan('graphql.validate');
          return async (errors?: readonly Error[]) => end(errors?.length ? errors[0] : undefined);
        },
        async executionDidStart({ operationName }) {
          const end = childSpan('graphql.execute', operationName ? { 'graphql.operation.name': operationName } : {});
          return { async executionDidEnd(error?: Error) { end(error); } };
        },
      };
    },
  };
}
