import { fork, type ChildProcess } from 'node:child_process';
import { serverExecArgv } from '../platform/node-flags';

/**
 * How long to wait before restarting something that has exited: 0.5 s after the
 * first exit, doubling with each further exit within the last minute, at most
 * 30 s. A process that crash-loops is tried again and again, but no faster
 * than that; one that ran quietly for a minute starts from 0.5 s again.
 */
export class Backoff {
  private exits: number[] = [];
  constructor(
    private readonly firstMs = 500,
    private readonly capMs = 30_000,
    private readonly windowMs = 60_000,
  ) {}

  /** Records an exit (or a failed start) now and returns the delay before the next try, and how many exits the window holds. */
  next(now = Date.now()): { delayMs: number; recent: number } {
    this.exits = this.exits.filter((t) => now - t < this.windowMs);
    this.exits.push(now);
    const recent = this.exits.length;
    return { delayMs: Math.min(this.capMs, this.firstMs * 2 ** (recent - 1)), recent };
  }
}

const seconds = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`);

/** How a child ended, for the log: its exit code or the signal that killed it. */
export function howItEnded(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `code ${code}`;
}

/** What to run: a Node script forked with an IPC channel, ready when it sends { type: 'ready' }. */
export interface ProcessSpec {
  name: string;
  script: string;
  env: NodeJS.ProcessEnv;
}

/** A restarted process that has not said it is ready within this time is killed and tried again. */
const READY_TIMEOUT_MS = 60_000;
/** A process asked to stop is killed outright after this time. */
const STOP_TIMEOUT_MS = 10_000;

/**
 * Keeps one process running: started once (a failure to become ready the first
 * time is the caller's to handle: a misconfigured stack should not start), then
 * restarted whenever it exits, with backoff, each exit logged with its code or
 * signal and the restart count. stop() ends it for good.
 */
export class SupervisedProcess {
  private child: ChildProcess | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private restarts = 0;
  private readonly backoff = new Backoff();

  constructor(
    private readonly spec: ProcessSpec,
    private readonly log: (line: string) => void,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  /** The running process's pid, or null between a death and its restart. */
  get pid(): number | null {
    return this.child && this.child.exitCode === null && this.child.signalCode === null ? (this.child.pid ?? null) : null;
  }

  /** Starts the process and resolves when it is ready; rejects if it exits first. From then on it is kept running. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = this.fork();
      const early = (code: number | null, signal: NodeJS.Signals | null) =>
        reject(new Error(`${this.spec.name} exited (${howItEnded(code, signal)}) before it was ready; see its output above.`));
      child.once('exit', early);
      this.whenReady(child, () => {
        child.off('exit', early);
        this.watch(child);
        resolve();
      });
    });
  }

  /** Stops the process (SIGTERM, then SIGKILL after 10 s) and never restarts it. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  private fork(): ChildProcess {
    const child = fork(this.spec.script, [], { env: this.spec.env, execArgv: serverExecArgv(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child = child;
    return child;
  }

  private whenReady(child: ChildProcess, ready: () => void): void {
    child.on('message', (message: { type?: string }) => {
      if (message?.type === 'ready') ready();
    });
  }

  /** Restarts the process whenever it exits, unless stopped. */
  private watch(child: ChildProcess): void {
    const startedAt = Date.now();
    child.once('exit', (code, signal) => {
      if (this.stopped) return;
      this.scheduleRestart(`${this.spec.name} exited (${howItEnded(code, signal)}) after ${seconds(Date.now() - startedAt)}`);
    });
  }

  private scheduleRestart(why: string): void {
    const { delayMs, recent } = this.backoff.next();
    this.restarts += 1;
    const loop = recent >= 3 ? `; ${recent} exits in the last minute, backing off` : '';
    this.log(`${why}; restart ${this.restarts} in ${seconds(delayMs)}${loop}. The rest of the stack keeps serving.`);
    this.timer = setTimeout(() => this.restart(), delayMs);
  }

  private restart(): void {
    this.timer = null;
    if (this.stopped) return;
    const attempt = this.restarts;
    const child = this.fork();
    let ready = false;
    const deadline = setTimeout(() => {
      if (!ready && !this.stopped) {
        this.log(`${this.spec.name} did not become ready within ${seconds(READY_TIMEOUT_MS)}; killing it.`);
        child.kill('SIGKILL');
      }
    }, READY_TIMEOUT_MS);
    const early = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(deadline);
      if (!this.stopped) this.scheduleRestart(`${this.spec.name} exited (${howItEnded(code, signal)}) before it was ready`);
    };
    child.once('exit', early);
    this.whenReady(child, () => {
      ready = true;
      clearTimeout(deadline);
      child.off('exit', early);
      this.log(`${this.spec.name} is serving again (restart ${attempt}, pid ${child.pid}).`);
      this.watch(child);
    });
  }
}

/** What the supervisor needs of the embedded PostgreSQL server (embedded-postgres.ts). */
export interface RestartableServer {
  pid(): number | null;
  onUnexpectedExit(listener: (how: string) => void): void;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Keeps the embedded PostgreSQL running: when its postmaster exits unasked, it
 * is started again on the same data directory and port, with the same backoff.
 * The subgraphs' connection pools reconnect by themselves once it is back.
 */
export class SupervisedPostgres {
  private timer: NodeJS.Timeout | null = null;
  private restarting: Promise<void> | null = null;
  private stopped = false;
  private restarts = 0;
  private readonly backoff = new Backoff();

  constructor(
    private readonly server: RestartableServer,
    private readonly log: (line: string) => void,
  ) {
    server.onUnexpectedExit((how) => {
      if (!this.stopped) this.schedule(`PostgreSQL exited (${how})`);
    });
  }

  private schedule(why: string): void {
    const { delayMs, recent } = this.backoff.next();
    this.restarts += 1;
    const loop = recent >= 3 ? `; ${recent} failures in the last minute, backing off` : '';
    this.log(`${why}; restarting it on the same data directory and port in ${seconds(delayMs)} (restart ${this.restarts}${loop}).`);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.stopped) return;
      const attempt = this.restarts;
      this.restarting = this.server.restart().then(
        () => {
          this.restarting = null;
          if (this.stopped) return;
          this.log(`PostgreSQL is accepting connections again (restart ${attempt}, pid ${this.server.pid()}).`);
        },
        (err: unknown) => {
          this.restarting = null;
          if (!this.stopped) this.schedule(`PostgreSQL did not start again: ${(err as Error).message}`);
        },
      );
    }, delayMs);
  }

  /** Stops PostgreSQL for good (waiting for a restart under way, so nothing is left running). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.restarting?.catch(() => undefined);
    await this.server.stop().catch(() => undefined);
  }
}
