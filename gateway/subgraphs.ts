import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { fetch as undiciFetch, Pool } from 'undici';
import { clientKeepAliveMs, wholeNumberFromEnv } from '../platform/http';
import { log } from '../platform/logger';
import { injectTraceContext } from '../platform/tracing';
import { recordSubgraphFetch } from './telemetry';
import type { SubgraphMonitor } from './monitor';
import { partialResponse, serviceLabel, SUBGRAPH_UNAVAILABLE, type Failure } from './partial';
import { parseAnswer, SubgraphClient } from './subgraph-client';

/** How the gateway calls its subgraphs: deadlines, connections, checks. */
export interface SubgraphCallSettings {
  /** Deadline of one call to each subgraph, in ms, by name (SUBGRAPH_TIMEOUT_MS, <NAME>_TIMEOUT_MS). */
  timeoutsMs: Record<string, number>;
  /** Connections open at once to each subgraph (SUBGRAPH_MAX_CONNECTIONS); further calls queue, within their deadline. */
  maxConnections: number;
  /** How often each subgraph's readiness is checked while it is up (SUBGRAPH_CHECK_INTERVAL_MS). */
  checkIntervalMs: number;
}

export const DEFAULT_SUBGRAPH_TIMEOUT_MS = 5_000;

export function subgraphCallSettingsFromEnv(names: readonly string[], env: NodeJS.ProcessEnv = process.env): SubgraphCallSettings {
  const timeout = wholeNumberFromEnv('SUBGRAPH_TIMEOUT_MS', DEFAULT_SUBGRAPH_TIMEOUT_MS, env);
  return {
    timeoutsMs: Object.fromEntries(names.map((n) => [n, wholeNumberFromEnv(`${n.toUpperCase()}_TIMEOUT_MS`, timeout, env)])),
    maxConnections: wholeNumberFromEnv('SUBGRAPH_MAX_CONNECTIONS', 32, env),
    checkIntervalMs: wholeNumberFromEnv('SUBGRAPH_CHECK_INTERVAL_MS', 5_000, env),
  };
}

/**
 * One pool of keep-alive connections to a subgraph, at most `maxConnections`
 * open, each idle one given up well before the subgraph server would close it
 * (clientKeepAliveMs is at most half the servers' HTTP_KEEP_ALIVE_TIMEOUT_MS), so
 * the gateway does not send a request down a connection the subgraph is closing.
 */
export function subgraphPool(url: string, maxConnections: number): Pool {
  const keepAlive = clientKeepAliveMs();
  return new Pool(new URL(url).origin, {
    connections: maxConnections,
    pipelining: 1,
    keepAliveTimeout: keepAlive,
    // The server's Keep-Alive hint never stretches it past our own.
    keepAliveMaxTimeout: keepAlive,
  });
}

type Fetcher = NonNullable<NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher']>;

/** A fetch through the pool that gives up at the deadline, waiting for a connection and reading the body included (schema and health calls of the base data source; client requests go through SubgraphClient). */
export function deadlineFetcher(pool: Pool, timeoutMs: number): Fetcher {
  return (async (url: string, init?: Record<string, unknown>) => {
    const response = await undiciFetch(url, { ...(init as object), dispatcher: pool, signal: AbortSignal.timeout(timeoutMs) });
    return response;
  }) as unknown as Fetcher;
}

export interface ForwardingContext {
  authorization?: string;
  requestId: string;
}

/** Subgraphs that have already failed within one client request: later calls to them in the same request fail at once. */
const failedInRequest = new WeakMap<object, Set<string>>();

function isMutation(query: string | undefined): boolean {
  return /^\s*mutation\b/.test(query ?? '');
}

/** Why a call failed, in the caller's words, and whether the subgraph should be checked. */
function describeFailure(err: unknown, serviceName: string, timeoutMs: number, mutation: boolean): Failure & { unavailable: boolean } {
  const who = serviceLabel(serviceName);
  const outcomeUnknown = mutation ? ' The change may or may not have been made: check before trying again.' : '';
  const e = err as Error & { cause?: { code?: string; name?: string }; extensions?: Record<string, unknown> };
  const response = e.extensions?.response as { status?: number; body?: unknown } | undefined;
  if (response && typeof response.status === 'number') {
    const body = response.body as { errors?: Array<{ message?: unknown; extensions?: { code?: unknown } }> } | undefined;
    const first = Array.isArray(body?.errors) ? body!.errors[0] : undefined;
    if (response.status < 500 && first && typeof first.message === 'string') {
      // The subgraph refused the request and said why; its words, never its address or body.
      const code = typeof first.extensions?.code === 'string' ? first.extensions.code : response.status === 401 ? 'UNAUTHENTICATED' : response.status === 403 ? 'FORBIDDEN' : 'BAD_REQUEST';
      return { code, message: `${who} refused this request: ${first.message}`, unavailable: false };
    }
    return { code: SUBGRAPH_UNAVAILABLE, message: `${who} failed (HTTP ${response.status}): the fields it provides are null.${outcomeUnknown}`, unavailable: true };
  }
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || e.cause?.name === 'TimeoutError') {
    return { code: SUBGRAPH_UNAVAILABLE, message: `${who} did not answer within ${timeoutMs} ms: the fields it provides are null.${outcomeUnknown}`, unavailable: true };
  }
  if (e.cause?.code === 'ECONNREFUSED') {
    return { code: SUBGRAPH_UNAVAILABLE, message: `${who} could not be reached: the fields it provides are null.${mutation ? ' Nothing was changed.' : ''}`, unavailable: true };
  }
  return { code: SUBGRAPH_UNAVAILABLE, message: `${who} did not answer: the fields it provides are null.${outcomeUnknown}`, unavailable: true };
}

/**
 * Forwards the caller's token and request id to a subgraph, through its pool,
 * within its deadline. A subgraph that does not answer (down, paused, slow,
 * failing) is answered for: its fields null with SUBGRAPH_UNAVAILABLE errors
 * naming it and its organisation, so the plan goes on with the other subgraphs.
 * No subgraph address or response body reaches the caller.
 */
export class ForwardingDataSource<C extends ForwardingContext & Record<string, any>> extends RemoteGraphQLDataSource<C> {
  readonly client: SubgraphClient;

  constructor(
    readonly serviceName: string,
    url: string,
    readonly timeoutMs: number,
    pool: Pool,
    private readonly monitor: SubgraphMonitor,
  ) {
    super({ url, fetcher: deadlineFetcher(pool, timeoutMs) });
    this.client = new SubgraphClient(url, pool, timeoutMs);
  }

  /** A client's operation sent through SubgraphClient: pooled, retried once if reset, shared while in flight. */
  private async forward(options: GraphQLDataSourceProcessOptions<C>, mutation: boolean) {
    const { query, variables, operationName, extensions } = options.request;
    // W3C traceparent of the gateway's fetch span, so the subgraph's spans join the caller's trace.
    const headers: Record<string, string> = {};
    injectTraceContext({ set: (name: string, value: string) => (headers[name] = value) });
    const answer = await this.client.send({
      body: JSON.stringify({ query, variables, operationName, extensions }),
      authorization: options.context.authorization,
      requestId: options.context.requestId,
      headers,
      mutation,
    });
    const body = parseAnswer(answer);
    const policy = (options as { incomingRequestContext?: { overallCachePolicy?: { restrict?(hint: { maxAge: number; scope?: 'PUBLIC' | 'PRIVATE' }): void } } }).incomingRequestContext?.overallCachePolicy;
    // As RemoteGraphQLDataSource does: the answer is no more cacheable than the subgraph says.
    if (policy?.restrict) {
      const maxAge = /(?:^|,)\s*max-age=(\d+)/.exec(answer.cacheControl ?? '');
      policy.restrict({ maxAge: maxAge ? Number(maxAge[1]) : 0, ...(/\bprivate\b/.test(answer.cacheControl ?? '') ? { scope: 'PRIVATE' as const } : {}) });
    }
    return body as Awaited<ReturnType<RemoteGraphQLDataSource<C>['process']>>;
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<C>): void {
    if (context.authorization) request.http?.headers.set('authorization', context.authorization);
    if (context.requestId) request.http?.headers.set('x-request-id', context.requestId);
    // W3C traceparent of the gateway's fetch span, so the subgraph's spans join the caller's trace.
    if (request.http) injectTraceContext(request.http.headers);
  }

  override async process(options: GraphQLDataSourceProcessOptions<C>) {
    // GraphQLDataSourceRequestKind.INCOMING_OPERATION (the enum is not exported): a client's request, not a health check.
    if ((options.kind as string) !== 'incoming operation') return super.process(options);
    const { query, variables } = options.request;
    const mutation = isMutation(query);
    const failed = failedInRequest.get(options.context) ?? new Set<string>();
    failedInRequest.set(options.context, failed);
    if (failed.has(this.serviceName) || this.monitor.isDown(this.serviceName)) {
      const failure = { code: SUBGRAPH_UNAVAILABLE, message: `${serviceLabel(this.serviceName)} is not answering: the fields it provides are null.${mutation ? ' Nothing was changed.' : ''}` };
      recordSubgraphFetch(this.serviceName, 'skipped', 0, SUBGRAPH_UNAVAILABLE);
      return partialResponse(query ?? '', variables, this.serviceName, failure);
    }
    const started = performance.now();
    try {
      const response = await this.forward(options, mutation);
      this.monitor.answered(this.serviceName, performance.now() - started);
      recordSubgraphFetch(this.serviceName, response.errors?.length ? 'error' : 'ok', (performance.now() - started) / 1000);
      return response;
    } catch (err) {
      const failure = describeFailure(err, this.serviceName, this.timeoutMs, mutation);
      recordSubgraphFetch(this.serviceName, failure.unavailable ? 'unavailable' : 'refused', (performance.now() - started) / 1000, failure.code);
      if (failure.unavailable) {
        failed.add(this.serviceName);
        this.monitor.failed(this.serviceName);
      } else if (!(err instanceof GraphQLError)) {
        log().error({ err, subgraph: this.serviceName }, 'unexpected failure of a subgraph call');
      }
      return partialResponse(query ?? '', variables, this.serviceName, failure);
    }
  }
}
