import {
  getNamedType,
  isEnumType,
  isObjectType,
  isScalarType,
  Kind,
  parse,
  print,
  type DocumentNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { answerVerbatim, canAnswerVerbatim } from '../platform/http';
import { tracingActive } from '../platform/tracing';

/**
 * The passthrough: an operation one subgraph answers whole (its cached plan is
 * one root fetch, and that fetch asks exactly what the client asked) is sent as
 * that fetch, and the subgraph's `{"data":…}` goes back to the caller as it is,
 * without the gateway parsing, shaping and serialising the data again: what
 * shaping would do there is nothing. Everything before execution (auth, limits,
 * trusted documents, validation, request ids, metrics, logs) and every plugin
 * after it still run, since this replaces only the gateway's executor. An answer
 * with errors, a refusal or a failed call goes to the normal execution of the
 * same request, which takes the answer already received (subgraphs.ts,
 * answerWhole) rather than calling again.
 *
 * Eligibility is decided once per parsed document and operation name, from the
 * plan the gateway cached for it, and conservatively: anything whose shaping is
 * not plainly the identity takes the normal path.
 */

/** The one fetch that answers an operation whole. */
export interface WholeFetch {
  serviceName: string;
  /** The subgraph operation, as the plan's fetch sends it. */
  operation: string;
  operationName?: string;
  /** The client's variables the fetch passes on, in the fetch's order. */
  variableUsages: readonly string[];
}

/** The parts of a query plan the rule reads (@apollo/query-planner's QueryPlan). */
export interface PlanLike {
  node?: {
    kind: string;
    serviceName?: string;
    operation?: string;
    operationName?: string;
    operationKind?: string;
    variableUsages?: string[];
    requires?: unknown[];
    inputRewrites?: unknown[];
    outputRewrites?: unknown[];
    contextRewrites?: unknown[];
    hasDefers?: boolean;
  };
}

/** How many values an enum has in the supergraph, @inaccessible ones included; undefined when unknown. */
export type SupergraphEnumSize = (name: string) => number | undefined;

/**
 * Whether the client's selections are ones the gateway's result shaping passes
 * through as they are: fields only (no fragments, which the planner may rewrite),
 * no aliases, no directives (@skip/@include), no introspection, no abstract
 * types (the planner adds __typename there and shaping takes it out), no enum
 * with values hidden from the API (shaping turns those into null and an error).
 * __typename is allowed on object types, whose name is the subgraph's too.
 */
function plainSelections(selectionSet: SelectionSetNode, parent: GraphQLObjectType, schema: GraphQLSchema, enumSize: SupergraphEnumSize): boolean {
  const fields = parent.getFields();
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.alias || selection.directives?.length) return false;
    const name = selection.name.value;
    if (name === '__typename') {
      if (selection.selectionSet) return false;
      continue;
    }
    if (name.startsWith('__')) return false;
    const field = fields[name];
    if (!field) return false;
    const type = getNamedType(field.type);
    if (isObjectType(type)) {
      if (!selection.selectionSet || !plainSelections(selection.selectionSet, type, schema, enumSize)) return false;
    } else if (isEnumType(type)) {
      if (selection.selectionSet || enumSize(type.name) !== type.getValues().length) return false;
    } else if (isScalarType(type)) {
      if (selection.selectionSet) return false;
    } else {
      return false;
    }
  }
  return true;
}

/** The operation a request runs: the named one, or the only one. */
function chosenOperation(document: DocumentNode, operationName: string | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName) return operations.find((o) => o.name?.value === operationName);
  return operations.length === 1 ? operations[0] : undefined;
}

/**
 * The fetch that answers the operation whole, or undefined when the normal path
 * must answer it. `schema` is the API schema the client's operation was
 * validated against.
 */
export function wholeFetchOf(plan: PlanLike, document: DocumentNode, operationName: string | undefined, schema: GraphQLSchema, enumSize: SupergraphEnumSize): WholeFetch | undefined {
  const fetch = plan.node;
  if (!fetch || fetch.kind !== 'Fetch' || !fetch.serviceName || typeof fetch.operation !== 'string') return undefined;
  if (fetch.operationKind !== 'query' || fetch.hasDefers || fetch.requires?.length || fetch.inputRewrites?.length || fetch.outputRewrites?.length || fetch.contextRewrites?.length) return undefined;
  // Fragment definitions, used or not, are left to the normal path.
  if (document.definitions.some((d) => d.kind !== Kind.OPERATION_DEFINITION)) return undefined;
  const operation = chosenOperation(document, operationName);
  if (!operation || operation.operation !== 'query' || operation.directives?.length || operation.variableDefinitions?.some((v) => v.directives?.length)) return undefined;
  const query = schema.getQueryType();
  if (!query || !plainSelections(operation.selectionSet, query, schema, enumSize)) return undefined;
  let sent: DocumentNode;
  try {
    sent = parse(fetch.operation);
  } catch {
    return undefined;
  }
  if (sent.definitions.length !== 1 || sent.definitions[0].kind !== Kind.OPERATION_DEFINITION) return undefined;
  // The fetch asks exactly what the client asked, field for field and argument for argument.
  if (print(sent.definitions[0].selectionSet) !== print(operation.selectionSet)) return undefined;
  return { serviceName: fetch.serviceName, operation: fetch.operation, operationName: fetch.operationName, variableUsages: fetch.variableUsages ?? [] };
}

/** The data source the passthrough calls (ForwardingDataSource.answerWhole). */
export interface WholeAnswerSource {
  answerWhole(request: { query: string; variables: Record<string, unknown>; operationName?: string }, context: never, incoming: unknown): Promise<string | undefined>;
}

/** The parts of ApolloGateway the passthrough uses. */
interface GatewayParts {
  executor: (requestContext: RequestContextLike) => Promise<unknown>;
  schema?: GraphQLSchema;
  /** The supergraph as graphql-js sees it, @inaccessible parts included. */
  supergraphSchema?: GraphQLSchema;
  validateIncomingRequest?(requestContext: RequestContextLike, operationContext: unknown): readonly unknown[];
}

interface RequestContextLike {
  document: DocumentNode;
  request: { operationName?: string | null; variables?: Record<string, unknown> };
  context: unknown;
  operation?: OperationDefinitionNode;
  metrics?: { captureTraces?: boolean };
}

interface Decision {
  fetch: WholeFetch;
  schema: GraphQLSchema;
  /** @apollo/gateway's operation context, for its own check of the variables. */
  operationContext: unknown;
}

/** Requests answered through the passthrough, and those it handed to the normal path after calling (errors, a refusal, a failure). */
export interface PassthroughCounts {
  answered: number;
  handedBack: number;
}

export class Passthrough {
  /** The decision per parsed document and operation name: null when the normal path answers it. */
  private readonly decisions = new WeakMap<DocumentNode, Map<string, Decision | null>>();
  private gateway: GatewayParts | undefined;
  readonly counts: PassthroughCounts = { answered: 0, handedBack: 0 };

  constructor(private readonly sources: ReadonlyMap<string, WholeAnswerSource>) {}

  /** For ApolloGateway's experimental_didResolveQueryPlan: decides a document the first time it is planned or found in the plan cache. */
  readonly noteQueryPlan = (options: { queryPlan: PlanLike; requestContext: RequestContextLike; operationContext: unknown }): void => {
    const gateway = this.gateway;
    if (!gateway?.schema) return;
    const { document, request } = options.requestContext;
    let byName = this.decisions.get(document);
    const name = request.operationName ?? '';
    if (byName?.has(name)) return;
    if (!byName) this.decisions.set(document, (byName = new Map()));
    let fetch: WholeFetch | undefined;
    try {
      fetch = wholeFetchOf(options.queryPlan, document, request.operationName ?? undefined, gateway.schema, enumSizeIn(gateway.supergraphSchema));
    } catch {
      fetch = undefined;
    }
    byName.set(name, fetch && this.sources.has(fetch.serviceName) ? { fetch, schema: gateway.schema, operationContext: options.operationContext } : null);
  };

  /** Puts the passthrough in front of the gateway's executor; before Apollo Server starts, which reads the executor once. */
  install(apolloGateway: object): void {
    const gateway = apolloGateway as GatewayParts;
    this.gateway = gateway;
    const normal = gateway.executor;
    if (typeof normal !== 'function' || typeof gateway.validateIncomingRequest !== 'function') return;
    gateway.executor = async (requestContext) => {
      const decision = this.decisions.get(requestContext.document)?.get(requestContext.request.operationName ?? '');
      // Traces want the gateway's own spans; usage traces want the plan's.
      if (!decision || decision.schema !== gateway.schema || requestContext.metrics?.captureTraces || tracingActive() || !canAnswerVerbatim()) return normal(requestContext);
      // Variables the gateway would refuse are refused by it, in its words.
      if (gateway.validateIncomingRequest!(requestContext, decision.operationContext).length) return normal(requestContext);
      const { fetch } = decision;
      // As executeQueryPlan builds a fetch's variables: those given, in the fetch's order.
      const given = requestContext.request.variables;
      const variables: Record<string, unknown> = Object.create(null);
      for (const name of fetch.variableUsages) {
        if (given && Object.prototype.hasOwnProperty.call(given, name) && given[name] !== undefined) variables[name] = given[name];
      }
      const source = this.sources.get(fetch.serviceName)!;
      const body = await source.answerWhole({ query: fetch.operation, variables, operationName: fetch.operationName }, requestContext.context as never, requestContext);
      const placeholder = body === undefined ? undefined : answerVerbatim(body);
      if (!placeholder) {
        this.counts.handedBack++;
        return normal(requestContext);
      }
      this.counts.answered++;
      return { data: placeholder };
    };
  }
}

/** Enum sizes in the supergraph (graphql-js), @inaccessible values included. */
export function enumSizeIn(supergraph: GraphQLSchema | undefined): SupergraphEnumSize {
  return (name) => {
    const type = supergraph?.getType(name);
    return isEnumType(type) ? type.getValues().length : undefined;
  };
}
