import { join } from 'node:path';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Client, fetch as undiciFetch } from 'undici';
import { startGateway, type RunningGateway } from '../../gateway/gateway';
import type { SubgraphCallSettings } from '../../gateway/subgraphs';
import { SUBGRAPHS } from '../../infra/subgraphs';
import type { RoleName } from '../../platform/roles';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/toolkit/subgraph';
import { createTestIssuer, type TestIssuer } from '../support/auth';
import { createTestDatabases, TEST_LINK_KEY_SECRET, type TestDatabases } from '../support/databases';
import { postGraphQL, type GraphQLResponse } from '../support/stack';

/**
 * A TCP hop in front of a subgraph that can fail the way a process does:
 * `pause` is SIGSTOP seen from outside (connections are accepted, nothing is
 * read or written, bytes already on their way stop), `kill` is the process gone
 * (connections reset, new ones refused), and `resume` / `restart` undo them.
 */
export class FaultyLink {
  private server: Server | null = null;
  private paused = false;
  private readonly pairs = new Set<[Socket, Socket | null]>();
  private readonly waiting = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/graphql`;
  }

  async start(): Promise<void> {
    const server = createServer((client) => {
      client.on('error', () => undefined);
      if (this.paused) {
        client.pause();
        this.waiting.add(client);
        client.once('close', () => this.waiting.delete(client));
      } else {
        this.forward(client);
      }
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', () => resolve()));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  private forward(client: Socket): void {
    const upstream = connect(this.target.port, this.target.host);
    const pair: [Socket, Socket | null] = [client, upstream];
    this.pairs.add(pair);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.once('close', () => {
      upstream.destroy();
      this.pairs.delete(pair);
    });
    upstream.once('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
  }

  pause(): void {
    this.paused = true;
    for (const [client, upstream] of this.pairs) {
      client.pause();
      upstream?.pause();
    }
  }

  resume(): void {
    this.paused = false;
    for (const [client, upstream] of this.pairs) {
      client.resume();
      upstream?.resume();
    }
    for (const client of this.waiting) this.forward(client);
    this.waiting.clear();
  }

  /** The process gone: every connection reset, the port refusing. */
  async kill(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const [client, upstream] of this.pairs) {
      client.resetAndDestroy();
      upstream?.destroy();
    }
    for (const client of this.waiting) client.resetAndDestroy();
    this.pairs.clear();
    this.waiting.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Back on the same port, as a restarted process would be. */
  async restart(): Promise<void> {
    this.paused = false;
    await this.start();
  }
}

export interface FaultStack {
  issuer: TestIssuer;
  databases: TestDatabases;
  subgraphs: Record<string, RunningSubgraph>;
  /** A FaultyLink between the gateway and each subgraph. */
  links: Record<string, FaultyLink>;
  gateway: RunningGateway;
  gatewayBase: string;
  queryAs<T = Record<string, unknown>>(role: RoleName | RoleName[], query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T> & { ms: number }>;
  stop(): Promise<void>;
}

export const FAULT_SEED = { linkKeySecret: TEST_LINK_KEY_SECRET, scale: 0.02, today: '2026-03-01', log: () => undefined };

/** The three subgraphs and the gateway in this process, the gateway reaching each subgraph through a FaultyLink. */
export async function startFaultStack(options: { subgraphCalls?: Partial<SubgraphCallSettings>; production?: boolean } = {}): Promise<FaultStack> {
  const issuer = await createTestIssuer();
  const databases = await createTestDatabases(SUBGRAPHS, FAULT_SEED);
  const subgraphs: Record<string, RunningSubgraph> = {};
  const links: Record<string, FaultyLink> = {};
  for (const definition of SUBGRAPHS) {
    const s = await startSubgraph(definition, { port: 0, host: '127.0.0.1', databaseUrl: databases.logins[definition.name].appUrl, auth: issuer.config, production: options.production });
    subgraphs[definition.name] = s;
    links[definition.name] = new FaultyLink({ host: '127.0.0.1', port: s.port });
    await links[definition.name].start();
  }
  const gateway = await startGateway({
    supergraphPath: join(__dirname, '..', '..', 'schema', 'supergraph.graphql'),
    subgraphUrls: Object.fromEntries(Object.entries(links).map(([name, l]) => [name, l.url])),
    port: 0,
    host: '127.0.0.1',
    auth: issuer.config,
    production: options.production,
    subgraphCalls: options.subgraphCalls,
  });
  return {
    issuer,
    databases,
    subgraphs,
    links,
    gateway,
    gatewayBase: `http://127.0.0.1:${gateway.port}`,
    async queryAs<T = Record<string, unknown>>(role: RoleName | RoleName[], query: string, variables?: Record<string, unknown>) {
      const started = performance.now();
      const res = await postGraphQL<T>(gateway.url, query, variables, await issuer.as(role));
      return { ...res, ms: performance.now() - started };
    },
    async stop() {
      await gateway.stop();
      for (const link of Object.values(links)) await link.kill();
      for (const s of Object.values(subgraphs)) await s.stop();
      await databases.drop();
    },
  };
}

/** Waits until a condition holds (polling), or fails naming it. */
export async function eventually(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`not within ${timeoutMs} ms: ${what}`);
}

/** What a stream of requests came to while a server was being stopped. */
export interface LoadOutcome {
  answered: number;
  /**
   * Not taken by the server: refused at connect (ECONNREFUSED), or reset on a
   * connection the server had never answered on (one the kernel had queued when
   * the server stopped listening, which the server never read). Nothing of these
   * reached the server; a client may retry them elsewhere.
   */
  notTaken: number;
  /** Taken and then lost: reset or closed on a connection the server was answering on. */
  dropped: number;
  /** Requests already sent and not yet answered when the stop began. */
  inFlightAtStop: number;
  dropReasons: string[];
}

/**
 * Runs `concurrency` clients, each with its own keep-alive connection (an undici
 * Client, so it is known whether the server ever answered on the connection a
 * request failed on), sending one POST after another; calls `stop` once the load
 * is under way; counts what became of every request until each client has been
 * refused.
 */
export async function loadThrough(url: string, init: { headers: Record<string, string>; body: string }, stop: () => Promise<void>, options: { concurrency: number; warmupMs: number }): Promise<LoadOutcome> {
  const outcome: LoadOutcome = { answered: 0, notTaken: 0, dropped: 0, inFlightAtStop: 0, dropReasons: [] };
  let stopping = false;
  let inFlight = 0;
  const client = async () => {
    const dispatcher = new Client(new URL(url).origin, { pipelining: 1 });
    // Whether the server has answered on the current connection.
    let answeredHere = false;
    dispatcher.on('connect', () => (answeredHere = false));
    try {
      for (let i = 0; i < 10_000; i++) {
        inFlight++;
        try {
          const res = await undiciFetch(url, { method: 'POST', headers: init.headers, body: init.body, dispatcher });
          await res.arrayBuffer();
          answeredHere = true;
          outcome.answered++;
        } catch (err) {
          const code = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
          if (code === 'ECONNREFUSED' || !answeredHere) {
            outcome.notTaken++;
            if (stopping) return;
            continue;
          }
          outcome.dropped++;
          outcome.dropReasons.push(String(code));
          if (stopping) return;
        } finally {
          inFlight--;
        }
      }
    } finally {
      await dispatcher.destroy().catch(() => undefined);
    }
  };
  const clients = Array.from({ length: options.concurrency }, client);
  // Under way: at least warmupMs, and every client has had an answer (its connection is open and in use).
  const deadline = Date.now() + 60_000;
  await new Promise((r) => setTimeout(r, options.warmupMs));
  while (outcome.answered < options.concurrency * 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  stopping = true;
  outcome.inFlightAtStop = inFlight;
  await stop();
  await Promise.all(clients);
  return outcome;
}
