import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** LOG_LEVEL, checked: a misspelt level stops start-up naming the variable rather than logging nothing. */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const level = (env.LOG_LEVEL || 'info').toLowerCase();
  if (!(LEVELS as readonly string[]).includes(level)) throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(', ')}; got "${env.LOG_LEVEL}".`);
  return level;
}

/**
 * Pretty lines for a person at a terminal, JSON lines for everything else:
 * LOG_FORMAT=pretty or json decides; otherwise pretty only outside production
 * when stdout is a terminal (a log shipper, a container or `npm start`'s
 * supervisor reading a pipe always gets JSON).
 */
export function prettyFromEnv(env: NodeJS.ProcessEnv = process.env, isTty = !!process.stdout.isTTY): boolean {
  const format = (env.LOG_FORMAT || '').toLowerCase();
  if (format && format !== 'json' && format !== 'pretty') throw new Error(`LOG_FORMAT must be "json" or "pretty"; got "${env.LOG_FORMAT}".`);
  if (format) return format === 'pretty';
  return env.NODE_ENV !== 'production' && isTty;
}

/**
 * Errors as one field of one line, and without what may quote personal data: a
 * database or driver error keeps its class, SQLSTATE and constraint, never its
 * message or detail (PostgreSQL quotes the value that broke a constraint, the ORM
 * the statement and its parameters); other errors keep message and stack.
 */
export function serializeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const e = err as Error & Record<string, unknown>;
  const code = typeof e.code === 'string' ? e.code : typeof e.sqlState === 'string' ? e.sqlState : undefined;
  const fromDatabase = typeof e.sqlState === 'string' || typeof e.severity === 'string' || /Exception$/.test(e.name) || e.constructor?.name === 'DatabaseError';
  if (fromDatabase) {
    return { type: e.constructor?.name ?? e.name, code, constraint: typeof e.constraint === 'string' ? e.constraint : undefined, table: typeof e.table === 'string' ? e.table : undefined };
  }
  const stack = typeof e.stack === 'string' ? e.stack.split('\n').slice(1).map((l) => l.trim()).join(' | ') : undefined;
  return { type: e.constructor?.name ?? e.name, code, message: e.message, stack };
}

/** Never written, whatever a caller passes in: credentials and GraphQL variables (which carry names, NHS numbers, dates of birth). */
const REDACT = ['authorization', 'token', 'variables', 'password', '*.authorization', '*.token', '*.variables', '*.password', 'headers', '*.headers', 'query', '*.query'];

/** The request being answered, if any: every line logged while answering it carries its ids. */
export const requestScope = new AsyncLocalStorage<{ requestId?: string; traceId?: string }>();

export function loggerOptions(service: string, env: NodeJS.ProcessEnv = process.env): LoggerOptions {
  return {
    level: logLevelFromEnv(env),
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: serializeError, error: serializeError },
    redact: { paths: REDACT, remove: true },
    mixin() {
      const scope = requestScope.getStore();
      return scope ? { requestId: scope.requestId, traceId: scope.traceId } : {};
    },
  };
}

function prettyStream(): DestinationStream | undefined {
  try {
    // A development dependency: absent from the production image, where JSON is wanted anyway.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require('pino-pretty') as (options: Record<string, unknown>) => DestinationStream;
    return pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service', messageFormat: '[{service}] {msg}' });
  } catch {
    return undefined;
  }
}

/** A logger for one process (`service` names it in every line), writing to stdout or `destination`. */
export function createLogger(service: string, options: { env?: NodeJS.ProcessEnv; destination?: DestinationStream } = {}): Logger {
  const env = options.env ?? process.env;
  const destination = options.destination ?? (prettyFromEnv(env) ? prettyStream() : undefined) ?? pino.destination({ fd: 1, sync: true });
  return pino(loggerOptions(service, env), destination);
}

let processLogger: Logger | null = null;

/** The process's logger: named once by its entry point (setProcessLogger), else after the script that runs. */
export function log(): Logger {
  processLogger ??= createLogger('send');
  return processLogger;
}

/** Names this process's logger (the gateway, a subgraph), as its entry point starts. */
export function setProcessLogger(logger: Logger): Logger {
  processLogger = logger;
  return logger;
}
