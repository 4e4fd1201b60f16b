/**
 * The app's only way to data: the gateway's public GraphQL API, called with the
 * signed-in person's own token, so every page obeys the role matrix, small-number
 * suppression and audit exactly as the API does.
 */
export interface GraphQLError {
  message: string;
  path?: Array<string | number>;
  extensions?: { code?: string; field?: string; problems?: Array<{ field: string; message: string }> };
}

export interface GraphQLAnswer<T> {
  data: T | null;
  errors: GraphQLError[];
}

/** The token was refused: the person signs in again. */
export class SignInNeeded extends Error {}

/** The gateway could not be reached or answered nothing usable. */
export class GatewayUnavailable extends Error {}

export async function callGateway<T>(gatewayUrl: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLAnswer<T>> {
  let res: Response;
  try {
    res = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(20_000),
    });
  } catch {
    throw new GatewayUnavailable('The partnership\'s data service did not answer.');
  }
  if (res.status === 401) throw new SignInNeeded('The token was refused.');
  const body = (await res.json().catch(() => null)) as { data?: T | null; errors?: GraphQLError[] } | null;
  if (!body) throw new GatewayUnavailable(`The partnership's data service answered ${res.status} with nothing readable.`);
  const errors = body.errors ?? [];
  if (errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) throw new SignInNeeded('The token was refused.');
  return { data: body.data ?? null, errors };
}

/** Field errors of a refused write, by field path in the request (input.currentPosition...). */
export function fieldProblems(errors: readonly GraphQLError[]): Array<{ field: string; message: string }> {
  return errors.flatMap((e) => (e.extensions?.code === 'BAD_USER_INPUT' ? (e.extensions.problems ?? (e.extensions.field ? [{ field: e.extensions.field, message: e.message }] : [])) : []));
}
