import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';

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
}

export const DEFAULT_LIMITS: Readonly<RequestLimits> = Object.freeze({
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 2000,
  maxCost: 50000,
  maxDirectives: 20,
});

const ENV: Record<keyof RequestLimits, string> = {
  maxDepth: 'GRAPHQL_MAX_DEPTH',
  maxAliases: 'GRAPHQL_MAX_ALIASES',
  maxTokens: 'GRAPHQL_MAX_TOKENS',
  maxCost: 'GRAPHQL_MAX_COST',
  maxDirectives: 'GRAPHQL_MAX_DIRECTIVES',
};

/** Limits from GRAPHQL_MAX_* variables, defaults for the rest; a bad value stops start-up naming the variable. */
export function requestLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): RequestLimits {
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
  return { maxDepth: limits.maxDepth * 2, maxAliases: limits.maxAliases * 2, maxTokens: limits.maxTokens * 4, maxCost: limits.maxCost * 4, maxDirectives: limits.maxDirectives * 2 };
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
