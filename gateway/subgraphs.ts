import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { fetch as undiciFetch, Pool } from 'undici';
import { clientKeepAliveMs, wholeNumberFromEnv } from '../platform/http';
import { log } from '../platform/logger';
import { injectTraceContext } from '../platform/tracing';
import { recordSubgraphFetch } from './telemetry';
import type { SubgraphMonitor } from './monitor';
import { partialResponse, serviceLabel, SUBGRAPH_UNAVAILABLE, type Failure } from './partial';
import { parseAnswer, SubgraphClient, type SubgraphAnswer } from './subgraph-client';

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

/** The GraphQL request as sent to a subgraph: the same text for the same request, so in-flight sharing and kept answers match it. */
function requestBody(request: { query?: string; variables?: Record<string, unknown>; operationName?: string; extensions?: Record<string, unknown> }): string {
  const { query, variables, operationName, extensions } = request;
  return JSON.stringify({ query, variables, operationName, extensions });
}

/** As RemoteGraphQLDataSource does: the caller's answer is no more cacheable than the subgraph says. */
function restrictCachePolicy(options: { incomingRequestContext?: unknown }, cacheControl: string | undefined): void {
  const policy = (options as { incomingRequestContext?: { overallCachePolicy?: { restrict?(hint: { maxAge: number; scope?: 'PUBLIC' | 'PRIVATE' }): void } } }).incomingRequestContext?.overallCachePolicy;
  if (!policy?.restrict) return;
  const maxAge = /(?:^|,)\s*max-age=(\d+)/.exec(cacheControl ?? '');
  policy.restrict({ maxAge: maxAge ? Number(maxAge[1]) : 0, ...(/\bprivate\b/.test(cacheControl ?? '') ? { scope: 'PRIVATE' as const } : {}) });
}

/**
 * A 200 whose body is `{"data":{…}}` and nothing else, as Apollo serialises it:
 * no errors, no extensions. A key named "errors" or "extensions" anywhere in the
 * data also says no (only as a key can the quoted word be followed by a colon
 * unescaped), which costs a fallback, never a wrong answer.
 */
export function isDataOnly(answer: Pick<SubgraphAnswer, 'status' | 'contentType' | 'text'>): boolean {
  return (
    answer.status === 200 &&
    /^application\/(graphql-response\+)?json/.test(answer.contentType) &&
    answer.text.startsWith('{"data":{') &&
    answer.text.endsWith('}\n') &&
    !/"(?:errors|extensions)":/.test(answer.text)
  );
}

/** Answers the passthrough handed back, by request context and request body, for the normal execution of the same request. */
const keptAnswers = new WeakMap<object, Map<string, { answer: Promise<SubgraphAnswer>; started: number }>>();

function keepForExecution(context: object, body: string, answer: Promise<SubgraphAnswer>, started: number): void {
  answer.catch(() => undefined);
  let kept = keptAnswers.get(context);
  if (!kept) keptAnswers.set(context, (kept = new Map()));
  kept.set(body, { answer, started });
}

function takeKept(context: object, body: string): { answer: Promise<SubgraphAnswer>; started: number } | undefined {
  const kept = keptAnswers.get(context);
  const found = kept?.get(body);
  if (found) kept!.delete(body);
  return found;
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
  private send(body: string, context: C, mutation: boolean): Promise<SubgraphAnswer> {
    // W3C traceparent of the gateway's fetch span, so the subgraph's spans join the caller's trace.
    const headers: Record<string, string> = {};
    injectTraceContext({ set: (name: string, value: string) => (headers[name] = value) });
    return this.client.send({ body, authorization: context.authorization, requestId: context.requestId, headers, mutation });
  }

  /** The parsed answer; the answer is no more cacheable than the subgraph says. */
  private received(answer: SubgraphAnswer, options: { incomingRequestContext?: unknown }) {
    const body = parseAnswer(answer);
    restrictCachePolicy(options, answer.cacheControl);
    return body as Awaited<ReturnType<RemoteGraphQLDataSource<C>['process']>>;
  }

  /**
   * The passthrough's call (gateway/passthrough.ts): the same request the plan's
   * fetch would send, as the same call. The subgraph's body when it is data and
   * nothing else, for the caller as it stands; otherwise undefined, and the
   * answer (or the failure) is kept for this request's normal execution, whose
   * fetch takes it instead of calling again, so errors, partial answers and
   * audit rows are exactly the normal path's.
   */
  async answerWhole(request: { query: string; variables: Record<string, unknown>; operationName?: string }, context: C, incoming: unknown): Promise<string | undefined> {
    if (this.monitor.isDown(this.serviceName) || failedInRequest.get(context)?.has(this.serviceName)) return undefined;
    const body = requestBody(request);
    const started = performance.now();
    const sent = this.send(body, context, false);
    let answer: SubgraphAnswer;
    try {
      answer = await sent;
    } catch {
      keepForExecution(context, body, sent, started);
      return undefined;
    }
    if (!isDataOnly(answer)) {
      keepForExecution(context, body, sent, started);
      return undefined;
    }
    this.monitor.answered(this.serviceName, performance.now() - started);
    recordSubgraphFetch(this.serviceName, 'ok', (performance.now() - started) / 1000);
    restrictCachePolicy({ incomingRequestContext: incoming }, answer.cacheControl);
    return answer.text;
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
    const body = requestBody(options.request);
    // The passthrough's answer for this very request, when it handed the request back: that call was
    // made while the subgraph was up, as this one would have been, so it stands whatever happened since.
    const kept = takeKept(options.context, body);
    if (!kept && (failed.has(this.serviceName) || this.monitor.isDown(this.serviceName))) {
      const failure = { code: SUBGRAPH_UNAVAILABLE, message: `${serviceLabel(this.serviceName)} is not answering: the fields it provides are null.${mutation ? ' Nothing was changed.' : ''}` };
      recordSubgraphFetch(this.serviceName, 'skipped', 0, SUBGRAPH_UNAVAILABLE);
      return partialResponse(query ?? '', variables, this.serviceName, failure);
    }
    const started = kept?.started ?? performance.now();
    try {
      const response = this.received(await (kept?.answer ?? this.send(body, options.context as C, mutation)), options as { incomingRequestContext?: unknown });
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
