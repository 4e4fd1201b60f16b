import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** True for an error raised by the database or its driver, whose text may quote the values it was given. */
export function isDatabaseError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const e = err as Error & Record<string, unknown>;
  return typeof e.sqlState === 'string' || typeof e.severity === 'string' || /Exception$/.test(e.name) || e.constructor?.name === 'DatabaseError';
}

function isClientStatus(http: unknown): boolean {
  const status = (http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * Apollo's formatError: errors raised on purpose (GraphQLErrors: FORBIDDEN,
 * BAD_USER_INPUT, validation, parse) pass unchanged; anything else is a fault,
 * logged here and answered with a bare INTERNAL_SERVER_ERROR. Database errors are
 * always masked (a constraint message can quote the value that broke it, such as
 * an NHS number); other faults are masked in production.
 */
export function maskUnexpectedErrors(production: boolean, log: (message: string, err: unknown) => void = (m, e) => console.error(m, e)) {
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
    if (!production && !isDatabaseError(original)) return formatted;
    log('unexpected error:', original);
    return { message: 'Internal server error.', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
