import type { GraphQLError } from 'graphql';
import { badUserInput } from '../../../platform/problems';
import { isUuid } from '../../toolkit/records';

/** BAD_USER_INPUT for one field, "field: message", by the one helper every subgraph uses. */
export function badInput(field: string, message: string): GraphQLError {
  return badUserInput([{ field, message: `${field}: ${message}` }]);
}


/** A service id as the filters take it: null for all, or this graph's HealthService id. */
export function checkServiceId(serviceId: string | null | undefined, field = 'serviceId'): string | null {
  if (serviceId === null || serviceId === undefined) return null;
  if (!isUuid(serviceId)) throw badInput(field, `"${serviceId}" is not a HealthService id (see healthServices).`);
  return serviceId.toLowerCase();
}
