import { GraphQLError } from 'graphql';
import { isUuid } from '../../toolkit/records';

export function badInput(message: string, field: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });
}


/** A service id as the filters take it: null for all, or this graph's HealthService id. */
export function checkServiceId(serviceId: string | null | undefined, field = 'serviceId'): string | null {
  if (serviceId === null || serviceId === undefined) return null;
  if (!isUuid(serviceId)) throw badInput(`${field} "${serviceId}" is not a HealthService id (see healthServices).`, field);
  return serviceId.toLowerCase();
}
