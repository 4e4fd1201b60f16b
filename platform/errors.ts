import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { log as processLog } from './logger';

/** True for an error raised by the database or its driver, whose text may quote the values it was given. */
export function isDatabaseError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const e = err as Error & Record<string, unknown>;
  // The last: a connection lost mid-query is a plain Error, whose message the query builder prefixes with the SQL.
  return typeof e.sqlState === 'string' || typeof e.severity === 'string' || /Exception$/.test(e.name) || e.constructor?.name === 'DatabaseError' || isDatabaseUnavailable(err);
}

function isClientStatus(http: unknown): boolean {
  const status = (http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** SQLSTATE classes of a database that is not there: connection exception, insufficient resources, operator intervention (shutting down, starting up). */
const UNAVAILABLE_STATE = /^(08|53|57)[0-9A-Z]{3}$/;
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);

function databaseCode(err: unknown): string {
  const e = err as { sqlState?: unknown; code?: unknown };
  return String(e.sqlState ?? e.code ?? '');
}

/** True for a database error that says the database is down, starting, stopping or out of connections: no fault of the request. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const code = databaseCode(err);
  return UNAVAILABLE_STATE.test(code) || UNREACHABLE.has(code) || /Connection terminated|Connection ended unexpectedly/.test((err as Error).message ?? '');
}

/**
 * What a log line may say of a database error: its class and code. Never its
 * text: a driver's message starts with the SQL, values included, and
 * PostgreSQL's own can quote the value that broke a rule.
 */
export function describeDatabaseError(err: unknown): string {
  const code = databaseCode(err);
  const name = (err as Error).name || (err as object).constructor?.name || 'database error';
  return `${name}${code ? ` (${/^[0-9A-Z]{5}$/.test(code) ? 'SQLSTATE ' : ''}${code})` : ''}${isDatabaseUnavailable(err) ? ': the database is not answering' : ''}`;
}

/**
 * Apollo's formatError: errors raised on purpose (GraphQLErrors: FORBIDDEN,
 * BAD_USER_INPUT, validation, parse) pass unchanged; anything else is a fault,
 * logged here and answered with a bare INTERNAL_SERVER_ERROR. Database errors are
 * always masked, and logged by class and SQLSTATE alone (a constraint message can
 * quote the value that broke it, such as an NHS number; a driver's, the SQL with
 * its values); a database that is not answering is DATABASE_UNAVAILABLE. Other
 * faults are masked in production.
 */
export function maskUnexpectedErrors(production: boolean, log: (message: string, err: unknown) => void = (m, err) => (typeof err === 'string' ? processLog().error(`${m} ${err}`) : processLog().error({ err }, m))) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    if (formatted.extensions && 'response' in formatted.extensions) {
      // Apollo's gateway puts a failed subgraph call's URL and body here: internal, never the caller's.
      const { response: _internal, ...extensions } = formatted.extensions;
      formatted = { ...formatted, extensions };
    }
    const original = unwrapResolverError(error);
    if (original instanceof GraphQLError && !original.extensions?.code && isClientStatus(original.extensions?.http)) {
      // Apollo's own refusals of a request (a persisted query whose hash does not match) carry a 4xx but no code.
      return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_REQUEST' } };
    }
    if (original instanceof GraphQLError || !(original instanceof Error)) return formatted;
    if (isDatabaseError(original)) {
      log('unexpected error:', describeDatabaseError(original));
      if (isDatabaseUnavailable(original)) {
        // The request was sound; the database behind it is restarting or out of reach: worth trying again.
        return { message: 'The database behind this service is not answering: try again shortly.', locations: formatted.locations, path: formatted.path, extensions: { code: 'DATABASE_UNAVAILABLE' } };
      }
      return { message: 'Internal server error.', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
    if (!production) return formatted;
    log('unexpected error:', original);
    return { message: 'Internal server error.', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
