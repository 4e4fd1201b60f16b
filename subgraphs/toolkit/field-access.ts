import { isObjectType, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { getMetadataStorage } from 'type-graphql';
import { authChecker } from './auth';
import type { SubgraphContext } from './context';

/**
 * The same @Authorized(Access.X) rules, checked without type-graphql's middleware
 * chain. type-graphql wraps every field that has a rule in an async middleware
 * (three promises and an auth call per field per record), so a 50-child page paid
 * for thousands of identical checks and every object became a promise. Here a
 * field's rule is decided once per request (the roles of one rule give one answer
 * for one caller) and the field is then read synchronously; a refusal is the same
 * authChecker's FORBIDDEN error on the same field, every time it is asked.
 *
 * Only fields whose whole type-graphql resolver is "check the rule, then read" are
 * replaced: plain properties, and field resolvers that take nothing but the record
 * and the context (the record as type-graphql would give it: rootAs). Anything
 * else (arguments, middlewares, a type this schema cannot tie to one class) keeps
 * type-graphql's resolver, which checks as before.
 */

/** The rules a request has already been allowed, by the rule's roles array (Access.X keeps the very array). */
const allowedByRequest = new WeakMap<object, Set<readonly unknown[]>>();

/** Passes when the caller holds one of the rule's roles (decided once per request), else throws authChecker's FORBIDDEN for this field. */
export function authorise(context: SubgraphContext, roles: readonly unknown[], info: GraphQLResolveInfo): void {
  let allowed = allowedByRequest.get(context);
  if (allowed?.has(roles)) return;
  // authChecker returns true or throws: only an allowance is remembered, so every refused field gets its own error.
  authChecker({ context, info }, roles as readonly string[]);
  if (!allowed) allowedByRequest.set(context, (allowed = new Set()));
  allowed.add(roles);
}

type FieldResolver = (root: unknown, args: Record<string, unknown>, context: SubgraphContext, info: GraphQLResolveInfo) => unknown;

interface ParamMetadata {
  kind: string;
  index: number;
  propertyName?: string;
  getType?: () => unknown;
}

// type-graphql's metadata as its build leaves it (getMetadataStorage() types these loosely).
interface FieldMetadata {
  target: new () => unknown;
  name: string;
  schemaName: string;
  roles?: readonly unknown[];
  middlewares?: unknown[];
}
interface ObjectTypeMetadata {
  name: string;
  target: new () => unknown;
  fields?: FieldMetadata[];
}
interface FieldResolverMetadata {
  kind: 'internal' | 'external';
  target: new () => Record<string, (...params: unknown[]) => unknown>;
  methodName: string;
  roles?: readonly unknown[];
  middlewares?: unknown[];
  params?: ParamMetadata[];
  getObjectType?: () => unknown;
}

/**
 * The one class behind an object type of this schema: the class of that GraphQL
 * name whose fields are exactly the schema's; null when none is, or more than
 * one (several subgraphs may each declare a `Child`).
 */
function classOf(schema: GraphQLSchema, typeName: string): ObjectTypeMetadata | null {
  const type = schema.getType(typeName);
  if (!type || !isObjectType(type)) return null;
  const fieldNames = Object.keys(type.getFields()).sort().join(',');
  const exact = (getMetadataStorage().objectTypes as unknown as ObjectTypeMetadata[]).filter(
    (o) => o.name === typeName && o.fields?.length && [...new Set(o.fields.map((f) => f.schemaName))].sort().join(',') === fieldNames,
  );
  return exact.length === 1 ? exact[0] : null;
}

/** A resolver that checks the rule and reads the property, as type-graphql's basic resolver does after its check. */
function propertyReader(roles: readonly unknown[], property: string): FieldResolver {
  return (root, args, context, info) => {
    authorise(context, roles, info);
    return (root as Record<string, unknown>)[property];
  };
}

/**
 * The record as type-graphql hands it to a `@Root() x: Entity` parameter: as it is
 * when it already holds every property the class gives a default (a plain row of
 * the table does; the resolvers only read properties), else a copy onto a new
 * instance with those defaults, as type-graphql's convertToType makes.
 */
function rootAs(getType: (() => unknown) | undefined): (root: unknown) => unknown {
  const Target = getType?.();
  if (typeof Target !== 'function' || Target === Object) return (root) => root;
  const Class = Target as new () => Record<string, unknown>;
  const withDefaults = Object.entries(new Class()).filter(([, v]) => v !== undefined).map(([k]) => k);
  return (root) => {
    if (root === null || typeof root !== 'object' || root instanceof Class || withDefaults.every((k) => k in root)) return root;
    const instance = new Class();
    for (const key of Object.keys(instance)) if (instance[key] === undefined && !(key in root)) delete instance[key];
    return Object.assign(instance, root);
  };
}

/** A resolver that checks the rule and calls the resolver class's method with the record and context it asks for. */
function methodCaller(roles: readonly unknown[], instance: Record<string, (...params: unknown[]) => unknown>, method: string, params: ParamMetadata[]): FieldResolver {
  const asParams = [...params].sort((a, b) => a.index - b.index).map((p) => (p.kind === 'root' ? rootAs(p.getType) : null));
  const fn = instance[method];
  return (root, args, context, info) => {
    authorise(context, roles, info);
    return fn.apply(
      instance,
      asParams.map((asRoot) => (asRoot ? asRoot(root) : context)),
    );
  };
}

/**
 * Replaces, in a resolver map made by type-graphql's createResolversMap, the
 * resolvers of fields that only check a rule and then read: see the top of this
 * file. `resolverClasses` are the classes the schema was built from (their field
 * resolvers are the ones type-graphql used). Returns the fields replaced, as
 * `Type.field`.
 */
export function checkRulesOncePerRequest(
  schema: GraphQLSchema,
  resolvers: GraphQLResolverMap<unknown>,
  // eslint-disable-next-line @typescript-eslint/ban-types
  resolverClasses: readonly Function[],
): string[] {
  const storage = getMetadataStorage();
  const fieldResolvers = (storage.fieldResolvers as unknown as FieldResolverMetadata[]).filter((r) => r.kind === 'internal' || resolverClasses.includes(r.target));
  const instances = new Map<unknown, Record<string, (...params: unknown[]) => unknown>>();
  const replaced: string[] = [];
  for (const [typeName, map] of Object.entries(resolvers)) {
    if (typeName === 'Query' || typeName === 'Mutation' || typeName === 'Subscription' || !map || typeof map !== 'object') continue;
    const declared = classOf(schema, typeName);
    if (!declared) continue;
    const fieldMap = map as Record<string, unknown>;
    for (const field of declared.fields ?? []) {
      if (typeof fieldMap[field.schemaName] !== 'function') continue;
      const own = fieldResolvers.find((r) => r.getObjectType?.() === field.target && r.methodName === field.name);
      if (!own) {
        // type-graphql's basic resolver: field.roles checked, then root[field.name].
        if (!field.roles || field.middlewares?.length) continue;
        fieldMap[field.schemaName] = propertyReader(field.roles, field.name);
      } else {
        // A resolver class's method: its own roles checked, then the method called with its parameters.
        const params = own.params ?? [];
        if (own.kind !== 'external' || !own.roles || own.middlewares?.length) continue;
        // Arguments, custom parameters or a part of the record or context: type-graphql's own resolver stays.
        if (!params.every((p) => (p.kind === 'root' || p.kind === 'context') && !p.propertyName)) continue;
        let instance = instances.get(own.target);
        if (!instance) instances.set(own.target, (instance = new own.target()));
        if (typeof instance[own.methodName] !== 'function') continue;
        fieldMap[field.schemaName] = methodCaller(own.roles, instance, own.methodName, params);
      }
      replaced.push(`${typeName}.${field.schemaName}`);
    }
  }
  return replaced;
}
