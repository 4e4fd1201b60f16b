import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLError, isObjectType, Kind, visit, type DocumentNode, type GraphQLSchema } from 'graphql';
import gql from 'graphql-tag';
import { buildSchema, createResolversMap, getMetadataStorage, type NonEmptyArray } from 'type-graphql';
import { effectiveRoles } from '../../platform/roles';
import { authChecker } from './auth';
import type { SubgraphContext } from './context';
import { checkRulesOncePerRequest } from './field-access';

/** The Federation 2 directives our subgraphs may use. */
const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@interfaceObject", "@inaccessible"])`;

export type ReferenceResolvers = Record<string, (reference: Record<string, unknown>, context: SubgraphContext) => unknown>;

export interface FederatedSchemaOptions {
  // eslint-disable-next-line @typescript-eslint/ban-types
  resolvers: NonEmptyArray<Function>;
  // eslint-disable-next-line @typescript-eslint/ban-types
  orphanedTypes?: Function[];
  /** `__resolveReference` per entity type: how this subgraph turns a key into an object. */
  referenceResolvers?: ReferenceResolvers;
}

/**
 * Builds a type-graphql schema, then re-reads it as a Federation 2 subgraph so that
 * @key and friends (declared with type-graphql's @Directive) reach the supergraph.
 */
export async function buildFederatedSchema(options: FederatedSchemaOptions): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: options.resolvers,
    orphanedTypes: options.orphanedTypes,
    authChecker,
    authMode: 'error',
    validate: false,
    // Subgraphs may have no Query of their own and refer to types they do not own.
    skipCheck: true,
  });
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  // The same rules, decided once per request rather than by a middleware per field per record (field-access.ts).
  checkRulesOncePerRequest(schema, resolvers, options.resolvers);
  for (const [typeName, resolveReference] of Object.entries(options.referenceResolvers ?? {})) {
    const existing = (resolvers[typeName] ?? {}) as Record<string, unknown>;
    resolvers[typeName] = { ...existing, __resolveReference: guardReference(typeName, rolesReadingType(schema, typeName), resolveReference) } as never;
  }
  return buildSubgraphSchema({
    typeDefs: withNullableRootFields(gql`
      ${FEDERATION_LINK}
      ${printSchemaWithDirectives(schema)}
    `),
    resolvers,
  });
}

/**
 * Every root query field is nullable. A role may ask, in one request, for a field
 * it may read and one it may not; the refusal is a FORBIDDEN error on that field,
 * and GraphQL would otherwise null the whole response for a non-null root field,
 * losing what the caller was entitled to.
 */
export function withNullableRootFields(document: DocumentNode): DocumentNode {
  return visit(document, {
    ObjectTypeDefinition(node) {
      if (node.name.value !== 'Query') return undefined;
      return { ...node, fields: node.fields?.map((f) => (f.type.kind === Kind.NON_NULL_TYPE ? { ...f, type: f.type.type } : f)) };
    },
  });
}

/**
 * The roles that may read at least one field of a type as this schema declares it
 * (type-graphql's @Authorized, field-level or class-level), or null when some
 * field has no rule at all. Several classes may share a GraphQL name across
 * subgraphs (Child in casework and health): the one whose fields this schema
 * shows, most of them, is this subgraph's.
 */
export function rolesReadingType(schema: GraphQLSchema, typeName: string): Set<string> | null {
  const type = schema.getType(typeName);
  if (!type || !isObjectType(type)) return null;
  const fieldNames = new Set(Object.keys(type.getFields()));
  const candidates = getMetadataStorage()
    .objectTypes.filter((o) => o.name === typeName && o.fields?.length && o.fields.every((f) => fieldNames.has(f.schemaName)))
    .sort((a, b) => b.fields!.length - a.fields!.length);
  const chosen = candidates[0];
  if (!chosen) return null;
  const roles = new Set<string>();
  for (const field of chosen.fields!) {
    if (!field.roles) return null;
    for (const r of field.roles) roles.add(String(r));
  }
  return roles;
}

/**
 * `_entities` refuses a caller who may read no field of the type before looking
 * the record up: the answer is the same FORBIDDEN whether or not the record
 * exists, so `_entities` cannot be used to test who is known to a subgraph.
 */
function guardReference(typeName: string, roles: Set<string> | null, resolve: ReferenceResolvers[string]): ReferenceResolvers[string] {
  if (!roles) return resolve;
  // Async, so a refusal is an error on that one entity, not on the whole _entities list.
  return async (reference, context) => {
    if (!effectiveRoles(context.caller).some((r) => roles.has(r))) {
      throw new GraphQLError(`Forbidden: your role may not read ${typeName} records.`, { extensions: { code: 'FORBIDDEN' } });
    }
    return resolve(reference, context);
  };
}
