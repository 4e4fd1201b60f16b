// Over 300 lines: every request limit (depth, aliases, tokens, cost, directives, representations, strings) and the one plugin that applies them and names the argument; the limits share the walker.
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { BREAK, GraphQLError, isUnionType, Kind, visit, type ASTNode, type DocumentNode, type GraphQLSchema, type ValidationContext, type ValidationRule, type ValueNode } from 'graphql';
import { badUserInput, type Problem } from './problems';

/**
 * Limits on the shape of a GraphQL request, checked before anything executes.
 * They are validation rules and parse options of Apollo Server itself (not
 * envelop plugins), so they hold under `ApolloServer({ gateway })` as well as in
 * each subgraph.
 */
export interface RequestLimits {
  /** Deepest selection nesting (GRAPHQL_MAX_DEPTH). */
  maxDepth: number;
  /** Aliased fields in one operation (GRAPHQL_MAX_ALIASES). */
  maxAliases: number;
  /** Lexical tokens in the document (GRAPHQL_MAX_TOKENS). */
  maxTokens: number;
  /**
   * Estimated cost (GRAPHQL_MAX_COST): objects 2, scalars 1, times 1.5 per level of
   * depth, and a selection with a literal `first`/`last` argument counts that many
   * times (a page of 500 with a handful of fields costs about 10,000).
   */
  maxCost: number;
  /** Directives in one operation (GRAPHQL_MAX_DIRECTIVES). */
  maxDirectives: number;
  /**
   * Entity representations in one request to a subgraph (GRAPHQL_MAX_REPRESENTATIONS):
   * each costs a lookup, so a caller reaching a subgraph port directly cannot buy
   * seconds of work with one request. Well above the largest batch the gateway
   * sends for a query it accepts (a page of 100 children with their requests).
   */
  maxRepresentations?: number;
  /** Characters in one string argument or variable value (GRAPHQL_MAX_STRING_LENGTH). */
  maxStringLength?: number;
}

export const DEFAULT_LIMITS: Readonly<Required<RequestLimits>> = Object.freeze({
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 2000,
  maxCost: 50000,
  maxDirectives: 20,
  maxRepresentations: 500,
  maxStringLength: 50_000,
});

const ENV: Record<keyof RequestLimits, string> = {
  maxDepth: 'GRAPHQL_MAX_DEPTH',
  maxAliases: 'GRAPHQL_MAX_ALIASES',
  maxTokens: 'GRAPHQL_MAX_TOKENS',
  maxCost: 'GRAPHQL_MAX_COST',
  maxDirectives: 'GRAPHQL_MAX_DIRECTIVES',
  maxRepresentations: 'GRAPHQL_MAX_REPRESENTATIONS',
  maxStringLength: 'GRAPHQL_MAX_STRING_LENGTH',
};

/** Limits from GRAPHQL_MAX_* variables, defaults for the rest; a bad value stops start-up naming the variable. */
export function requestLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): Required<RequestLimits> {
  const limits = { ...DEFAULT_LIMITS };
  for (const [key, name] of Object.entries(ENV) as Array<[keyof RequestLimits, string]>) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number of at least 1; got "${raw}".`);
    limits[key] = n;
  }
  return limits;
}

/**
 * The gateway plans each client operation into subgraph operations that add
 * inline fragments, keys and __typename; subgraphs check those against looser
 * limits (defence in depth against a caller who reaches a subgraph directly),
 * so that no query the gateway accepts is refused behind it.
 */
export function subgraphLimits(limits: RequestLimits): RequestLimits {
  return {
    maxDepth: limits.maxDepth * 2,
    maxAliases: limits.maxAliases * 2,
    maxTokens: limits.maxTokens * 4,
    maxCost: limits.maxCost * 4,
    maxDirectives: limits.maxDirectives * 2,
    maxRepresentations: limits.maxRepresentations ?? DEFAULT_LIMITS.maxRepresentations,
    maxStringLength: limits.maxStringLength ?? DEFAULT_LIMITS.maxStringLength,
  };
}

/** Reports a refusal as a validation error naming the limit, without armor's "Syntax Error:" prefix. */
function reporter(limit: keyof RequestLimits) {
  return (ctx: ValidationContext | null, error: GraphQLError) => {
    const message = error.message.replace(/^Syntax Error: /, '');
    ctx?.reportError(new GraphQLError(`Request refused: ${message} (${ENV[limit]})`, { extensions: { limit } }));
  };
}

export function limitValidationRules(limits: RequestLimits, options: { flattenFragments?: boolean } = {}): ValidationRule[] {
  const common = { exposeLimits: true, propagateOnRejection: false };
  const flattenFragments = options.flattenFragments ?? false;
  // Only armor's validation rules: its token plugin is replaced by graphql's own parse limit, its suggestion mask by ours.
  return new ApolloArmor({
    blockFieldSuggestion: { enabled: false },
    maxTokens: { enabled: false },
    maxDepth: { ...common, n: limits.maxDepth, flattenFragments, onReject: [reporter('maxDepth')] },
    maxAliases: { ...common, n: limits.maxAliases, onReject: [reporter('maxAliases')] },
    costLimit: { ...common, maxCost: limits.maxCost, flattenFragments, onReject: [reporter('maxCost')] },
    maxDirectives: { ...common, n: limits.maxDirectives, onReject: [reporter('maxDirectives')] },
  }).protect().validationRules as ValidationRule[];
}

/** Apollo Server options that enforce the limits: parse options (tokens) and validation rules (the rest). */
export function limitOptions(limits: RequestLimits, options: { flattenFragments?: boolean } = {}) {
  return {
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: limitValidationRules(limits, options),
  };
}

/**
 * Words refusals plainly: graphql's own token limit names the variable to raise,
 * and "Did you mean ...?" suggestions are removed from validation errors (they
 * would list field names to someone probing the schema with introspection off).
 */
export function limitMessagesPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const e = error as { message: string };
            const tokens = /Document contains more th(?:at|an) (\d+) tokens/.exec(e.message);
            if (tokens) e.message = `Request refused: Token limit of ${tokens[1]} exceeded. (${ENV.maxTokens})`;
            e.message = e.message.replace(/ ?Did you mean .+\?/g, '');
          }
        },
      };
    },
  };
}

/** An error that ends the request before execution with HTTP 400. */
function clientError(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 400, headers: new HeaderMap() } } });
}

function badRequest(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return clientError(new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', ...extensions } }));
}

/** The path of `target` inside an argument's value ("filter.district", "codes[2]"), or undefined. */
function pathWithin(value: ValueNode, target: ASTNode, prefix: string): string | undefined {
  if (value === target) return prefix;
  if (value.kind === Kind.OBJECT) {
    for (const f of value.fields) {
      // An input field the type does not have is reported at the field itself.
      if (f === target) return `${prefix}.${f.name.value}`;
      const p = pathWithin(f.value, target, `${prefix}.${f.name.value}`);
      if (p) return p;
    }
  } else if (value.kind === Kind.LIST) {
    for (let i = 0; i < value.values.length; i++) {
      const p = pathWithin(value.values[i], target, `${prefix}[${i}]`);
      if (p) return p;
    }
  }
  return undefined;
}

/** Where in the document's arguments a value node sits, named as the caller wrote it. */
export function argumentPathOf(document: DocumentNode, target: ASTNode): string | undefined {
  let found: string | undefined;
  visit(document, {
    Argument(node) {
      found = pathWithin(node.value, target, node.name.value);
      if (found) return BREAK;
      return undefined;
    },
  });
  return found;
}

/** Each string literal in the document's arguments, with where it sits. */
function* stringLiterals(document: DocumentNode): Generator<{ path: string; value: string }> {
  const found: Array<{ path: string; value: string }> = [];
  const walk = (value: ValueNode, path: string) => {
    if (value.kind === Kind.STRING) found.push({ path, value: value.value });
    else if (value.kind === Kind.OBJECT) for (const f of value.fields) walk(f.value, `${path}.${f.name.value}`);
    else if (value.kind === Kind.LIST) value.values.forEach((v, i) => walk(v, `${path}[${i}]`));
  };
  visit(document, { Argument: (node) => walk(node.value, node.name.value) });
  yield* found;
}

/** Where each variable is used, as an argument path: a bad variable value is reported under the argument it feeds. */
function variableUses(document: DocumentNode): Map<string, string> {
  const uses = new Map<string, string>();
  visit(document, {
    Argument(node) {
      const walk = (value: ValueNode, path: string) => {
        if (value.kind === Kind.VARIABLE) {
          if (!uses.has(value.name.value)) uses.set(value.name.value, path);
        } else if (value.kind === Kind.OBJECT) for (const f of value.fields) walk(f.value, `${path}.${f.name.value}`);
        else if (value.kind === Kind.LIST) value.values.forEach((v, i) => walk(v, `${path}[${i}]`));
      };
      walk(node.value, node.name.value);
    },
  });
  return uses;
}

/**
 * Adds a problem for each string inside a JSON value that is too long or holds
 * a NUL, until `problems` holds 20. A string's path is spelt out only for a
 * problem: a request's variables (a subgraph's hundreds of representations) are
 * walked on every request.
 */
function stringProblemsIn(value: unknown, base: string, maxLength: number, problems: Problem[]): void {
  const at: Array<string | number> = [];
  const pathHere = () => base + at.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('');
  const walk = (v: unknown, depth: number): boolean => {
    if (typeof v === 'string') {
      if (v.length <= maxLength && !v.includes('\u0000')) return false;
      problems.push(stringProblem(pathHere(), v, maxLength)!);
      return problems.length >= 20;
    }
    if (depth > 50 || v === null || typeof v !== 'object') return false;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        at.push(i);
        const stop = walk(v[i], depth + 1);
        at.pop();
        if (stop) return true;
      }
      return false;
    }
    for (const k of Object.keys(v)) {
      at.push(k);
      const stop = walk((v as Record<string, unknown>)[k], depth + 1);
      at.pop();
      if (stop) return true;
    }
    return false;
  };
  walk(value, 0);
}

function stringProblem(path: string, value: string, maxLength: number): Problem | null {
  if (value.includes('\u0000')) return { field: path, message: `${path}: must not contain a NUL character.` };
  if (value.length > maxLength) return { field: path, message: `${path}: must be at most ${maxLength} characters long; it is ${value.length}. (GRAPHQL_MAX_STRING_LENGTH)` };
  return null;
}

/** Entity representations written into the document itself: a literal list given to `_entities`. */
function literalRepresentations(document: DocumentNode): readonly ValueNode[] {
  const found: ValueNode[] = [];
  visit(document, {
    Field(node) {
      if (node.name.value !== '_entities') return;
      for (const arg of node.arguments ?? []) if (arg.value.kind === Kind.LIST) found.push(...arg.value.values);
    },
  });
  return found;
}

/**
 * What is wrong with one entity representation: one that is not an object, or
 * whose __typename names no entity type of this schema, is the caller's mistake
 * (left to the federation library, it is a fault of the server).
 */
function representationProblem(entityTypes: ReadonlySet<string>, typename: unknown, isObject: boolean, i: number): Problem | null {
  const field = `representations[${i}]`;
  if (!isObject) return { field, message: `${field}: must be an object with a __typename and the entity's key fields.` };
  if (typeof typename !== 'string') return { field, message: `${field}: must have a __typename naming the entity type.` };
  if (!entityTypes.has(typename)) return { field, message: `${field}: "${typename.slice(0, 100)}" is not an entity type of this subgraph.` };
  return null;
}

/** The schema's entity types (`_Entity`'s members); none for a schema without it (the gateway's), which has nothing to check. */
function entityTypesOf(schema: GraphQLSchema): ReadonlySet<string> | undefined {
  const entity = schema.getType('_Entity');
  return entity && isUnionType(entity) ? new Set(entity.getTypes().map((t) => t.name)) : undefined;
}

/**
 * What the checks need from a document, whatever its variables: worked out once
 * per document (Apollo hands every request for the same text the same parsed
 * document), so a request pays only for its variables.
 */
interface DocumentFacts {
  schema: GraphQLSchema;
  /** The schema's entity types; none at the gateway. */
  entityTypes?: ReadonlySet<string>;
  literalRepresentations: number;
  /** Problems of the representations written in the document. */
  representationProblems: Problem[];
  /** Problems of the string literals written in the document. */
  stringProblems: Problem[];
  /** Where each variable is used, as an argument path. */
  variableUses: Map<string, string>;
}

function documentFacts(schema: GraphQLSchema, document: DocumentNode, maxStringLength: number): DocumentFacts {
  const literals = literalRepresentations(document);
  const representationProblems: Problem[] = [];
  const entityTypes = entityTypesOf(schema);
  if (entityTypes) {
    literals.forEach((v, i) => {
      const typename = v.kind === Kind.OBJECT ? v.fields.find((f) => f.name.value === '__typename')?.value : undefined;
      const p = representationProblem(entityTypes, typename?.kind === Kind.STRING ? typename.value : undefined, v.kind === Kind.OBJECT, i);
      if (p) representationProblems.push(p);
    });
  }
  const stringProblems: Problem[] = [];
  for (const { path, value } of stringLiterals(document)) {
    const p = stringProblem(path, value, maxStringLength);
    if (p) stringProblems.push(p);
  }
  return { schema, entityTypes, literalRepresentations: literals.length, representationProblems, stringProblems, variableUses: variableUses(document) };
}

/** True for a validation error about a value the caller wrote (a bad Date, an unknown enum value, a missing input field). */
function isValueError(error: GraphQLError): ASTNode | undefined {
  const node = error.nodes?.[0];
  if (!node || error.extensions?.code !== 'GRAPHQL_VALIDATION_FAILED') return undefined;
  const valueKinds: string[] = [Kind.STRING, Kind.INT, Kind.FLOAT, Kind.BOOLEAN, Kind.NULL, Kind.ENUM, Kind.LIST, Kind.OBJECT, Kind.OBJECT_FIELD];
  return valueKinds.includes(node.kind) ? node : undefined;
}

/**
 * Checks on what a request carries, before anything executes, at the gateway and
 * at every subgraph: the operation exists and is one this API serves (a query or
 * mutation; an unknown operation name or a subscription is the caller's mistake,
 * HTTP 400); no string argument or variable holds a NUL character or more than
 * GRAPHQL_MAX_STRING_LENGTH characters (refused here, naming the argument, rather
 * than by PostgreSQL); at most GRAPHQL_MAX_REPRESENTATIONS entity representations.
 * A value the schema refuses (a malformed Date, an unknown enum value) is
 * reported as BAD_USER_INPUT naming the argument.
 */
export function requestChecksPlugin(limits: RequestLimits = requestLimitsFromEnv()): ApolloServerPlugin {
  const maxRepresentations = limits.maxRepresentations ?? DEFAULT_LIMITS.maxRepresentations;
  const maxStringLength = limits.maxStringLength ?? DEFAULT_LIMITS.maxStringLength;
  const factsByDocument = new WeakMap<DocumentNode, DocumentFacts>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request, document, schema }) {
          if (!operation) {
            throw badRequest(
              request.operationName
                ? `Unknown operation named "${request.operationName.slice(0, 100)}".`
                : 'The document holds more than one operation: name the one to run in operationName.',
            );
          }
          if (operation.operation === 'subscription') {
            throw badRequest('Subscriptions are not served: this API answers queries and mutations over HTTP.');
          }
          let facts = factsByDocument.get(document);
          if (!facts || facts.schema !== schema) factsByDocument.set(document, (facts = documentFacts(schema, document, maxStringLength)));
          const given = request.variables?.representations;
          const representations = facts.literalRepresentations + (Array.isArray(given) ? given.length : 0);
          if (representations > maxRepresentations) {
            throw badRequest(`Request refused: ${representations} entity representations in one request; the limit is ${maxRepresentations}. (GRAPHQL_MAX_REPRESENTATIONS)`, { limit: 'maxRepresentations' });
          }
          const problems: Problem[] = [];
          const entityTypes = facts.entityTypes;
          if (entityTypes && given !== undefined && given !== null) {
            const list = Array.isArray(given) ? given : [given];
            list.forEach((r, i) => {
              const p = representationProblem(entityTypes, (r as { __typename?: unknown } | null)?.__typename, typeof r === 'object' && r !== null && !Array.isArray(r), i);
              if (p) problems.push(p);
            });
          }
          // The variable's representations first, then the literal ones; at most 20 of them.
          problems.push(...facts.representationProblems);
          problems.splice(20);
          problems.push(...facts.stringProblems);
          for (const [name, value] of Object.entries(request.variables ?? {})) stringProblemsIn(value, facts.variableUses.get(name) ?? `$${name}`, maxStringLength, problems);
          if (problems.length) throw clientError(badUserInput(problems));
        },
        async didEncounterErrors({ errors, document }) {
          if (!document) return;
          for (const error of errors) {
            const node = isValueError(error);
            const path = node && argumentPathOf(document, node);
            if (!path) continue;
            const message = `${path}: ${error.message}`;
            (error as { message: string }).message = message;
            Object.assign(error.extensions, { code: 'BAD_USER_INPUT', field: path, problems: [{ field: path, message }] });
          }
        },
      };
    },
  };
}
