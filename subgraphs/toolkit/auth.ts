import { GraphQLError } from 'graphql';
import type { ResolverData } from 'type-graphql';
import { effectiveRoles } from '../../platform/roles';
import type { SubgraphContext } from './context';

/**
 * type-graphql's check for @Authorized(Access.X): the caller needs one of the
 * rule's roles. A refusal is an error on that field with code FORBIDDEN, naming
 * the field but nothing of its value. Synchronous: field-access.ts calls it too.
 */
export const authChecker = ({ context, info }: Pick<ResolverData<SubgraphContext>, 'context' | 'info'>, allowed: readonly string[]): true => {
  const roles = effectiveRoles(context.caller);
  if (allowed.length === 0 ? roles.length > 0 : roles.some((r) => allowed.includes(r))) return true;
  // A mutation is something done, not read: the refusal says so, naming the mutation.
  const refused = info.parentType.name === 'Mutation' ? `perform ${info.fieldName}` : `read ${info.parentType.name}.${info.fieldName}`;
  throw new GraphQLError(`Forbidden: your role may not ${refused}.`, { extensions: { code: 'FORBIDDEN' } });
};

