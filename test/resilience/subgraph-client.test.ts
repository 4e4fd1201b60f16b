import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { SubgraphClient } from '../../gateway/subgraph-client';
import { AUDITED_READS_HEADER, clientKeepAliveMs, serverKeepAliveMs } from '../../platform/http';

const QUERY = JSON.stringify({ query: '{ a }' });
const MUTATION = JSON.stringify({ query: 'mutation { b }' });

/**
 * A subgraph, at the socket level, that answers the first request on each
 * connection (keeping it alive) and resets the connection when a second
 * request arrives on it: what a subgraph closing an idle connection does to a
 * client that reuses it at that moment.
 */
async function resettingSubgraph(): Promise<{ url: string; server: NetServer; arrivals: () => number; stop(): Promise<void> }> {
  let arrivals = 0;
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let served = 0;
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      // One whole request: headers and a body of content-length bytes.
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/content-length:\s*(\d+)/i.exec(buffered.slice(0, end))?.[1] ?? 0);
      if (buffered.length < end + 4 + length) return;
      buffered = '';
      arrivals++;
      served++;
      if (served > 1) {
        socket.resetAndDestroy();
        return;
      }
      const body = '{"data":{"a":1}}';
      socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n${AUDITED_READS_HEADER}: 0\r\nconnection: keep-alive\r\n\r\n${body}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    server,
    arrivals: () => arrivals,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A subgraph that answers after `delayMs`, saying it audited `audited` reads, and keeps each request it got. */
async function slowSubgraph(delayMs: number, audited: (req: IncomingMessage) => number | undefined) {
  const got: Array<{ requestId: string; authorization?: string; body: string }> = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      got.push({ requestId: String(req.headers['x-request-id']), authorization: req.headers.authorization, body });
      setTimeout(() => {
        const n = audited(req);
        res.writeHead(200, { 'content-type': 'application/json', ...(n === undefined ? {} : { [AUDITED_READS_HEADER]: String(n) }) });
        res.end(JSON.stringify({ data: { n: got.length } }));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, got, stop: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

it("the gateway's pools let an idle connection go before any subgraph would close it", () => {
  for (const value of [undefined, '1000', '5000', '8000', '65000']) {
    const env = value === undefined ? {} : { HTTP_KEEP_ALIVE_TIMEOUT_MS: value };
    expect(clientKeepAliveMs(env)).toBeLessThan(serverKeepAliveMs(env));
  }
});

describe('the gateway retries a query once when a reused connection is reset, never a mutation', () => {
  let subgraph: Awaited<ReturnType<typeof resettingSubgraph>>;
  let pool: Pool;
  beforeEach(async () => {
    subgraph = await resettingSubgraph();
    // One connection, kept alive, so the second call reuses the first call's connection.
    pool = new Pool(new URL(subgraph.url).origin, { connections: 1, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000 });
  });
  afterEach(async () => {
    await pool.close();
    await subgraph.stop();
  });

  it('sends a query again on a fresh connection and answers it', async () => {
    const client = new SubgraphClient(subgraph.url, pool, 5_000);
    expect((await client.send({ body: QUERY, requestId: 'r1', mutation: false })).status).toBe(200);
    const second = await client.send({ body: QUERY, requestId: 'r2', mutation: false });
    expect(second.status).toBe(200);
    expect(JSON.parse(second.text)).toEqual({ data: { a: 1 } });
    expect(second.attempts).toBe(2);
    expect(client.counts.retried).toBe(1);
    // The first call, the reset one, and the retry.
    expect(subgraph.arrivals()).toBe(3);
  });

  it('does not send a mutation again: the change may have been made', async () => {
    const client = new SubgraphClient(subgraph.url, pool, 5_000);
    await client.send({ body: QUERY, requestId: 'r1', mutation: false });
    await expect(client.send({ body: MUTATION, requestId: 'r2', mutation: true })).rejects.toMatchObject({ code: expect.stringMatching(/UND_ERR_SOCKET|ECONNRESET/) });
    expect(client.counts.retried).toBe(0);
    expect(subgraph.arrivals()).toBe(2);
  });

  it('retries once only: a query reset twice fails', async () => {
    // Every connection is reset at its first request.
    const always = createNetServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
    await new Promise<void>((resolve) => always.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(always.address() as AddressInfo).port}/graphql`;
    const alwaysPool = new Pool(new URL(url).origin, { connections: 1 });
    const client = new SubgraphClient(url, alwaysPool, 5_000);
    await expect(client.send({ body: QUERY, requestId: 'r1', mutation: false })).rejects.toBeDefined();
    expect(client.counts.retried).toBe(1);
    await alwaysPool.close();
    await new Promise<void>((resolve) => always.close(() => resolve()));
  });
});

describe('identical queries in flight from the same caller are sent once', () => {
  const pools: Pool[] = [];
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
    await Promise.all(stops.splice(0).map((s) => s()));
  });

  async function setUp(audited: (req: IncomingMessage) => number | undefined) {
    const subgraph = await slowSubgraph(150, audited);
    stops.push(subgraph.stop);
    const pool = new Pool(new URL(subgraph.url).origin, { connections: 8 });
    pools.push(pool);
    return { subgraph, client: new SubgraphClient(subgraph.url, pool, 5_000) };
  }

  it('shares an answer that audited no person-level read among requests of the same token', async () => {
    const { subgraph, client } = await setUp(() => 0);
    const answers = await Promise.all(['r1', 'r2', 'r3', 'r4'].map((requestId) => client.send({ body: QUERY, authorization: 'Bearer t1', requestId, mutation: false })));
    expect(subgraph.got).toHaveLength(1);
    expect(answers.filter((a) => a.shared)).toHaveLength(3);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    // Settled calls are not remembered: the next one goes to the subgraph.
    await client.send({ body: QUERY, authorization: 'Bearer t1', requestId: 'r5', mutation: false });
    expect(subgraph.got).toHaveLength(2);
  });

  it('never shares between tokens, between different variables, or a mutation', async () => {
    const { subgraph, client } = await setUp(() => 0);
    await Promise.all([
      client.send({ body: QUERY, authorization: 'Bearer t1', requestId: 'r1', mutation: false }),
      client.send({ body: QUERY, authorization: 'Bearer t2', requestId: 'r2', mutation: false }),
      client.send({ body: JSON.stringify({ query: '{ a }', variables: { x: 1 } }), authorization: 'Bearer t1', requestId: 'r3', mutation: false }),
      client.send({ body: MUTATION, authorization: 'Bearer t1', requestId: 'r4', mutation: true }),
      client.send({ body: MUTATION, authorization: 'Bearer t1', requestId: 'r5', mutation: true }),
    ]);
    expect(subgraph.got.map((g) => g.requestId).sort()).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    expect(client.counts.shared).toBe(0);
  });

  it('lets each other request read person-level records itself, so each request is audited under its own id', async () => {
    const { subgraph, client } = await setUp(() => 3);
    const answers = await Promise.all(['r1', 'r2', 'r3'].map((requestId) => client.send({ body: QUERY, authorization: 'Bearer t1', requestId, mutation: false })));
    expect(subgraph.got.map((g) => g.requestId).sort()).toEqual(['r1', 'r2', 'r3']);
    expect(answers.every((a) => !a.shared)).toBe(true);
  });

  it('shares a person-level answer within one request, whose reads are audited once under its id', async () => {
    const { subgraph, client } = await setUp(() => 3);
    const answers = await Promise.all([1, 2].map(() => client.send({ body: QUERY, authorization: 'Bearer t1', requestId: 'same', mutation: false })));
    expect(subgraph.got).toHaveLength(1);
    expect(answers.filter((a) => a.shared)).toHaveLength(1);
  });

  it('does not share across requests when the subgraph does not say what it audited', async () => {
    const { subgraph, client } = await setUp(() => undefined);
    await Promise.all(['r1', 'r2'].map((requestId) => client.send({ body: QUERY, authorization: 'Bearer t1', requestId, mutation: false })));
    expect(subgraph.got).toHaveLength(2);
  });
});
