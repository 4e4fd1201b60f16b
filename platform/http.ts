import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

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
}

const DEFAULT_BODY_LIMIT = 1_000_000;

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
  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (err instanceof HttpError) {
        sendJson(res, err.status, graphqlError(err.message, err.code), err.headers);
      } else {
        sendJson(res, 500, graphqlError('Internal server error.', 'INTERNAL_SERVER_ERROR'));
        console.error(err);
      }
    }).finally(() => options.onResponse?.(req, res.statusCode));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/health/live') return sendJson(res, 200, { status: 'live' });
    if (url.pathname === '/health/ready') {
      const ready = await options.ready().catch(() => false);
      return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' });
    }
    if (url.pathname !== '/graphql') return sendJson(res, 404, { error: 'Not found: the GraphQL endpoint is /graphql.' });

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
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => context,
    });
    const outHeaders: Record<string, string> = {};
    for (const [key, value] of response.headers) outHeaders[key] = value;
    // The id the audit trail files this request under, for the caller to quote.
    const requestId = (context as { requestId?: unknown }).requestId;
    if (typeof requestId === 'string') outHeaders['x-request-id'] = requestId;
    res.writeHead(response.status ?? 200, outHeaders);
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
    } else {
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    }
  }

  return server;
}

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

export async function close(server: Server): Promise<void> {
  server.closeAllConnections?.();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
