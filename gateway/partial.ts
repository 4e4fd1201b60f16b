import { Kind, parse, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLFormattedError, type SelectionSetNode } from 'graphql';
import { SUBGRAPH_ORGANISATION, type SubgraphName } from '../platform/topology';

/**
 * What the gateway answers in place of a subgraph that did not: the fields that
 * subgraph would have provided, each null, with an error naming the subgraph and
 * the organisation that runs it. The rest of the plan carries on, so a caller
 * gets everything the other subgraphs hold, and a field another subgraph computes
 * from this one's (through @requires) is computed from a null it can recognise.
 */

export const SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE';

/** The organisation that runs a subgraph (council, ICB, partnership). */
export function organisationOf(serviceName: string): string {
  return SUBGRAPH_ORGANISATION[serviceName as SubgraphName] ?? serviceName;
}

/** How a subgraph is named to a caller: "health's service (ICB)". */
export function serviceLabel(serviceName: string): string {
  return `${serviceName}'s service (${organisationOf(serviceName)})`;
}

export interface Failure {
  /** SUBGRAPH_UNAVAILABLE when the subgraph did not answer; the subgraph's own code when it refused the request. */
  code: string;
  message: string;
}

export interface PartialResponse {
  data: Record<string, unknown>;
  errors: GraphQLFormattedError[];
}

/** Parsed subgraph operations, so that an outage does not reparse the same few queries on every request. */
const parsed = new Map<string, DocumentNode>();
const PARSED_LIMIT = 500;

function documentOf(query: string): DocumentNode {
  let doc = parsed.get(query);
  if (!doc) {
    doc = parse(query);
    if (parsed.size >= PARSED_LIMIT) parsed.delete(parsed.keys().next().value as string);
    parsed.set(query, doc);
  }
  return doc;
}

/** Response names of the fields a selection set asks of an object of `typename`, fragments followed. */
function fieldsFor(selectionSet: SelectionSetNode, typename: string | undefined, fragments: Map<string, FragmentDefinitionNode>, out = new Set<string>()): Set<string> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      out.add((selection.alias ?? selection.name).value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const on = selection.typeCondition?.name.value;
      if (!on || !typename || on === typename) fieldsFor(selection.selectionSet, typename, fragments, out);
    } else {
      const fragment = fragments.get(selection.name.value);
      if (fragment && (!typename || fragment.typeCondition.name.value === typename)) fieldsFor(fragment.selectionSet, typename, fragments, out);
    }
  }
  return out;
}

/**
 * A response to a subgraph operation that failed as a whole: each root field
 * null, or for an entity fetch each representation with its requested fields
 * null; one error per null, whose path the gateway turns into the caller's path.
 */
export function partialResponse(query: string, variables: Record<string, unknown> | undefined, serviceName: string, failure: Failure): PartialResponse {
  const extensions = { code: failure.code, serviceName, organisation: organisationOf(serviceName) };
  const errors: GraphQLFormattedError[] = [];
  const data: Record<string, unknown> = {};
  let document: DocumentNode;
  try {
    document = documentOf(query);
  } catch {
    return { data, errors: [{ message: failure.message, extensions }] };
  }
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return { data, errors: [{ message: failure.message, extensions }] };
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const field = selection as FieldNode;
    const name = (field.alias ?? field.name).value;
    if (field.name.value === '_entities' && field.selectionSet) {
      const representations = Array.isArray(variables?.representations) ? (variables!.representations as Array<Record<string, unknown>>) : [];
      data[name] = representations.map((representation, i) => {
        const typename = typeof representation?.__typename === 'string' ? representation.__typename : undefined;
        const entity: Record<string, unknown> = { __typename: typename };
        for (const f of fieldsFor(field.selectionSet!, typename, fragments)) {
          if (f === '__typename') continue;
          entity[f] = null;
          errors.push({ message: failure.message, path: [name, i, f], extensions });
        }
        return entity;
      });
    } else if (field.name.value !== '__typename') {
      data[name] = null;
      errors.push({ message: failure.message, path: [name], extensions });
    }
  }
  return { data, errors };
}

/**
 * The errors of a response, put in the caller's terms: an unavailable
 * subgraph's error points at the deepest part of the caller's answer that
 * exists (a field another subgraph needed internally, such as healthFigures,
 * is not in the caller's answer: its error points at the object that needed
 * it), and the same error at the same place is given once.
 */
export function callerErrors(data: unknown, errors: readonly GraphQLFormattedError[]): GraphQLFormattedError[] {
  const seen = new Set<string>();
  const out: GraphQLFormattedError[] = [];
  for (const error of errors) {
    let e = error;
    if (error.extensions?.code === SUBGRAPH_UNAVAILABLE && error.path) {
      const path: Array<string | number> = [];
      let cursor: unknown = data;
      for (const key of error.path) {
        if (cursor === null || typeof cursor !== 'object' || !Object.prototype.hasOwnProperty.call(cursor, key)) break;
        path.push(key);
        cursor = (cursor as Record<string | number, unknown>)[key];
      }
      e = { ...error, path: path.length ? path : undefined };
      const key = JSON.stringify([e.message, e.path, e.extensions?.serviceName]);
      if (seen.has(key)) continue;
      seen.add(key);
    }
    out.push(e);
  }
  return out;
}
