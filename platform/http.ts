// Over 300 lines: one HTTP server for every process (routes, health, metrics, keep-alive, draining); its parts share the connection bookkeeping that draining needs.
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import { log } from './logger';
import { serveMetrics } from './metrics';
import { attachContext, currentObservation, endRequest, logRequestError, observeRequest, type RequestObservation } from './observe';

/** An error that ends a request with an HTTP status and a GraphQL-shaped body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface GraphQLHttpOptions<C extends BaseContext> {
  apollo: ApolloServer<C>;
  /** Builds the request context; throw HttpError to refuse (e.g. 401). */
  context: (req: IncomingMessage) => Promise<C>;
  /** Whether this process can serve: its database answers, or its subgraphs do. */
  ready: () => Promise<boolean>;
  /** Largest request body accepted, in bytes. */
  bodyLimitBytes?: number;
  /** Called once per response, for logs. */
  onResponse?: (req: IncomingMessage, status: number) => void;
  /** More GET endpoints beside /health/live and /health/ready (the gateway's /health/subgraphs), answered as JSON. */
  routes?: Record<string, () => Promise<{ status: number; body: unknown }>>;
  /** More GraphQL endpoints beside /graphql, by path (the gateway's /partner/graphql), sharing the context. */
  endpoints?: Record<string, ApolloServer<C>>;
  /** Fixed files answered on GET, by path (the gateway's explorer). */
  files?: Record<string, StaticFile>;
  /** How long an idle keep-alive connection is kept open; from HTTP_KEEP_ALIVE_TIMEOUT_MS when not given. */
  keepAliveTimeoutMs?: number;
  /** The process's name in its access log and metrics (gateway, casework...). */
  service?: string;
  /** Cross-origin handling (the gateway's CORS); returns true when it has answered the request itself (a preflight). */
  cors?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

/** A file served as it is. */
export interface StaticFile {
  type: string;
  body: string | Buffer;
  headers?: Record<string, string>;
}

const DEFAULT_BODY_LIMIT = 1_000_000;

/** A whole number of at least `min` from the environment, or the fallback; a bad value stops start-up naming the variable. */
export function wholeNumberFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number of at least ${min}; got "${raw}".`);
  return n;
}

/**
 * How long every server of the stack keeps an idle keep-alive connection
 * (HTTP_KEEP_ALIVE_TIMEOUT_MS), set explicitly rather than left to Node's default
 * so that the gateway's own pools can be kept shorter (clientKeepAliveMs): a
 * client must give up an idle connection before the server closes it, or it may
 * send a request down a connection that is being closed. It also bounds how long
 * a drain waits for clients to let their idle connections go.
 */
export function serverKeepAliveMs(env: NodeJS.ProcessEnv = process.env): number {
  return wholeNumberFromEnv('HTTP_KEEP_ALIVE_TIMEOUT_MS', 5_000, env);
}

/** How long a client of a stack server (the gateway's pools) keeps an idle connection: well inside the server's keep-alive. */
export function clientKeepAliveMs(env: NodeJS.ProcessEnv = process.env): number {
  return Math.max(1, Math.min(4_000, Math.floor(serverKeepAliveMs(env) / 2)));
}

/** How long a stopping process lets its in-flight requests finish (DRAIN_TIMEOUT_MS). */
export function drainTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  return wholeNumberFromEnv('DRAIN_TIMEOUT_MS', 8_000, env, 0);
}

/**
 * What a server needs to stop without dropping a request: whether it is draining,
 * and each open connection with the requests in flight on it.
 */
interface DrainState {
  /** Readiness answers 503. */
  draining: boolean;
  /** The listener is closed: every response closes its connection. */
  closing: boolean;
  connections: Map<Socket, { inFlight: number }>;
  /** Responses being worked on, so those under way when the drain begins also close their connection. */
  responses: Set<ServerResponse>;
}

const drainStates = new WeakMap<Server, DrainState>();

/** True once close() has begun: readiness answers 503 and every response closes its connection. */
export function isDraining(server: Server): boolean {
  return drainStates.get(server)?.draining ?? false;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function graphqlError(message: string, code: string): unknown {
  return { errors: [{ message, extensions: { code } }] };
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpError(413, `Request body is ${declared} bytes; the limit is ${limit} bytes.`, 'PAYLOAD_TOO_LARGE');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `Request body exceeds the limit of ${limit} bytes.`, 'PAYLOAD_TOO_LARGE');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Serves Apollo Server over Node's own http module, with the two health endpoints
 * every process of the stack answers. Small enough not to need a web framework.
 */
export function createGraphQLHttpServer<C extends BaseContext>(options: GraphQLHttpOptions<C>): Server {
  const limit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;
  const state: DrainState = { draining: false, closing: false, connections: new Map(), responses: new Set() };
  const server = createServer((req, res) => {
    const connection = state.connections.get(req.socket);
    if (connection) connection.inFlight++;
    state.responses.add(res);
    res.once('close', () => {
      state.responses.delete(res);
      if (connection) connection.inFlight--;
    });
    // Once the listener is closed, each response is the connection's last: the client
    // opens a new one (refused, so safe to retry elsewhere) instead of reusing this one.
    if (state.closing) res.setHeader('connection', 'close');
    // Access log, metrics and the server span (platform/observe.ts).
    const { observation, run } = observeRequest(options.service ?? 'send', req);
    void run(() => handle(req, res, observation)).catch((err: unknown) => {
      if (err instanceof HttpError) {
        sendJson(res, err.status, graphqlError(err.message, err.code), err.headers);
      } else {
        sendJson(res, 500, graphqlError('Internal server error.', 'INTERNAL_SERVER_ERROR'));
        logRequestError(observation, err, 'unexpected error answering a request');
      }
    }).finally(() => {
      endRequest(observation, res);
      options.onResponse?.(req, res.statusCode);
    });
  });

  drainStates.set(server, state);
  const keepAlive = options.keepAliveTimeoutMs ?? serverKeepAliveMs();
  server.keepAliveTimeout = keepAlive;
  // Node wants the header timeout above the keep-alive timeout.
  server.headersTimeout = Math.max(server.headersTimeout, keepAlive + 1_000);
  server.on('connection', (socket: Socket) => {
    state.connections.set(socket, { inFlight: 0 });
    socket.once('close', () => state.connections.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse, observation: RequestObservation): Promise<void> {
    const url = { pathname: observation.path, search: observation.search };
    if (options.cors?.(req, res)) return;
    if (url.pathname === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')) return serveMetrics(req, res);
    if (url.pathname === '/health/live') return sendJson(res, 200, { status: 'live' });
    if (url.pathname === '/health/ready') {
      if (state.draining) return sendJson(res, 503, { status: 'draining' });
      const ready = await options.ready().catch(() => false);
      return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' });
    }
    const route = options.routes?.[url.pathname];
    if (route && (req.method === 'GET' || req.method === 'HEAD')) {
      const { status, body } = await route();
      return sendJson(res, status, body);
    }
    const file = options.files?.[url.pathname];
    if (file && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(200, { 'content-type': file.type, 'content-length': Buffer.byteLength(file.body), ...file.headers });
      res.end(req.method === 'HEAD' ? undefined : file.body);
      return;
    }
    const apollo = url.pathname === '/graphql' ? options.apollo : options.endpoints?.[url.pathname];
    if (!apollo) return sendJson(res, 404, { error: 'Not found: the GraphQL endpoint is /graphql.' });

    let body: unknown = undefined;
    if (req.method === 'POST') {
      const text = await readBody(req, limit);
      const type = String(req.headers['content-type'] ?? '');
      if (type.includes('application/json')) {
        try {
          body = text.length ? JSON.parse(text) : undefined;
        } catch {
          throw new HttpError(400, 'Request body is not valid JSON.', 'BAD_REQUEST');
        }
      } else {
        body = text;
      }
    }
    const context = await options.context(req);
    attachContext(observation, context);
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => context,
    });
    const outHeaders: Record<string, string> = {};
    for (const [key, value] of response.headers) outHeaders[key] = value;
    // The id the audit trail files this request under, for the caller to quote.
    const requestId = (context as { requestId?: unknown }).requestId;
    if (typeof requestId === 'string') outHeaders['x-request-id'] = requestId;
    if (response.body.kind === 'complete') {
      const text = observation.verbatimAnswer === undefined ? response.body.string : withVerbatimAnswer(response.body.string, observation.verbatimAnswer);
      // A length rather than chunked encoding: headers and body leave in one write.
      outHeaders['content-length'] = String(Buffer.byteLength(text));
      res.writeHead(response.status ?? 200, outHeaders);
      res.end(text);
    } else {
      res.writeHead(response.status ?? 200, outHeaders);
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    }
  }

  return server;
}

/** What Apollo serialises for the placeholder answerVerbatim hands out. */
const PLACEHOLDER_BODY = '{"data":{}}\n';

/**
 * Lets an executor answer with a body already serialised (the gateway's
 * passthrough: a subgraph's `{"data":…}` that the gateway's own shaping would
 * leave as it is), so the data is neither parsed nor serialised again. The
 * executor returns the placeholder data this gives it, and every plugin still
 * runs; the HTTP layer then sends the body in its place. Undefined outside an
 * HTTP request (Apollo's executeOperation), where there is nothing to swap.
 */
export function answerVerbatim(body: string): Record<string, never> | undefined {
  const observation = currentObservation();
  if (!observation) return undefined;
  observation.verbatimAnswer = body;
  return {};
}

/** Whether an executor may answer verbatim here (inside an HTTP request this layer serves). */
export function canAnswerVerbatim(): boolean {
  return currentObservation() !== undefined;
}

function withVerbatimAnswer(apolloBody: string, verbatim: string): string {
  if (apolloBody === PLACEHOLDER_BODY) return verbatim;
  // Something after execution (a plugin) added errors or extensions: keep them, with the real data.
  const body = JSON.parse(apolloBody) as Record<string, unknown>;
  if (body && typeof body === 'object' && 'data' in body) body.data = (JSON.parse(verbatim) as { data: unknown }).data;
  return `${JSON.stringify(body)}\n`;
}

/**
 * Response header in which a subgraph says how many person-level records it
 * audited as read for the request (0 when none): the gateway shares one call's
 * answer with another request only when it is 0, so no request's read goes
 * unaudited.
 */
export const AUDITED_READS_HEADER = 'x-audited-reads';

/**
 * The caller's x-request-id when it is a plain identifier (it is written to the
 * audit trail and logs, so arbitrary text is not taken), else undefined.
 */
export function requestIdFrom(req: IncomingMessage): string | undefined {
  const value = req.headers['x-request-id'];
  return typeof value === 'string' && /^[A-Za-z0-9._:-]{1,100}$/.test(value) ? value : undefined;
}

/** Listens and resolves with the bound port (0 picks a free one, for tests). */
export async function listen(server: Server, port: number, host = '0.0.0.0'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new Error(`Port ${port} is already in use.`) : err);
    });
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}

/** What a drain did, for the log line a stopping process writes. */
export interface DrainReport {
  /** How long the drain took, in ms. */
  ms: number;
  /** Requests still running at the drain timeout, whose connections were closed under them. */
  cutOff: number;
  /** Idle connections still open at the drain timeout (their clients kept them past it), closed. */
  idleClosed: number;
}

/**
 * Stops a server without dropping a request: readiness turns 503 at once, no new
 * connection is accepted, requests in flight run to the end, and every response
 * from then on closes its connection. An idle keep-alive connection is left for
 * its client to close (or for the keep-alive timeout, which clients undercut): a
 * server that closes an idle connection may do so just as a request is on its way
 * down it, the one way a drain can drop a request. At the drain timeout whatever
 * is left is closed.
 */
export async function close(server: Server, options: { drainTimeoutMs?: number } = {}): Promise<void> {
  await drain(server, options);
}

/** close(), saying what the drain did. */
export async function drain(server: Server, options: { drainTimeoutMs?: number } = {}): Promise<DrainReport> {
  const started = Date.now();
  const state = drainStates.get(server);
  if (!state) {
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return { ms: Date.now() - started, cutOff: 0, idleClosed: 0 };
  }
  state.draining = true;
  const timeout = options.drainTimeoutMs ?? drainTimeoutMs();
  // Closing the listening socket resets connections the kernel has queued but
  // Node has not yet accepted: let the event loop accept those first. Responses
  // keep their connections open until then, so that no client is sent to open a
  // new connection that would land in that queue.
  for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
  // net's close, not http's: http's also destroys idle connections at once, and a
  // client may be writing its next request down one of them at that moment.
  const stopped = new Promise<void>((resolve) => {
    if (!server.listening) return resolve();
    NetServer.prototype.close.call(server, () => resolve());
  });
  state.closing = true;
  for (const res of state.responses) if (!res.headersSent) res.setHeader('connection', 'close');
  while (state.connections.size > 0 && Date.now() - started < timeout) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const left = [...state.connections.values()];
  const cutOff = left.filter((c) => c.inFlight > 0).length;
  if (cutOff > 0) log().warn({ cutOff, drainTimeoutMs: timeout }, 'requests still running at the drain timeout were cut off');
  server.closeAllConnections();
  await stopped;
  return { ms: Date.now() - started, cutOff, idleClosed: left.length - cutOff };
}
