import { GraphQLError } from 'graphql';

export function badInput(message: string, field: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A service id as the filters take it: null for all, or this graph's HealthService id. */
export function checkServiceId(serviceId: string | null | undefined, field = 'serviceId'): string | null {
  if (serviceId === null || serviceId === undefined) return null;
  if (!UUID.test(serviceId)) throw badInput(`${field} "${serviceId}" is not a HealthService id (see healthServices).`, field);
  return serviceId.toLowerCase();
}

/** Today as a calendar date, for "as of" arguments left out. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
