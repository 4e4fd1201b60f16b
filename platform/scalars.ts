import { GraphQLError, isScalarType, Kind, type GraphQLSchema, type ValueNode } from 'graphql';
import { isIsoDate } from './calendar';

export { isIsoDate } from './calendar';

/** A Date value as given, or the error every process gives for a bad one. */
export function parseDate(value: unknown): string {
  if (!isIsoDate(value)) throw new GraphQLError(`Date must be a calendar date written YYYY-MM-DD; got ${JSON.stringify(value)}.`);
  return value;
}

/** A Date literal; the error names the node, so the argument it sits in can be named to the caller. */
export function parseDateLiteral(ast: ValueNode): string {
  if (ast.kind !== Kind.STRING) throw new GraphQLError('Date must be a string written YYYY-MM-DD.', { nodes: ast });
  try {
    return parseDate(ast.value);
  } catch (err) {
    throw new GraphQLError((err as Error).message, { nodes: ast });
  }
}

const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** A DateTime value as given (ISO 8601 with a zone), as the instant in UTC; or the error every process gives for a bad one. */
export function parseDateTime(value: unknown): string {
  const m = typeof value === 'string' ? ISO_DATE_TIME.exec(value) : null;
  const instant = m && isIsoDate(m[1]) ? new Date(value as string) : null;
  if (!instant || Number.isNaN(instant.getTime())) throw new GraphQLError(`DateTime must be an ISO 8601 date and time with a zone, e.g. 2026-03-31T14:05:09Z; got ${JSON.stringify(value)}.`);
  return instant.toISOString();
}

/** A DateTime literal; the error names the node. */
export function parseDateTimeLiteral(ast: ValueNode): string {
  if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string, e.g. 2026-03-31T14:05:09Z.', { nodes: ast });
  try {
    return parseDateTime(ast.value);
  } catch (err) {
    throw new GraphQLError((err as Error).message, { nodes: ast });
  }
}

/**
 * Gives a schema built from SDL (the gateway's, from the supergraph, where every
 * custom scalar is opaque) the input rules of the stack's own scalars, so a
 * malformed value is refused where the query enters, as a client error naming
 * the argument, instead of by a subgraph behind it.
 */
export function applyScalarRules(schema: GraphQLSchema): void {
  const date = schema.getType('Date');
  if (date && isScalarType(date)) {
    date.parseValue = parseDate;
    date.parseLiteral = parseDateLiteral;
  }
  const dateTime = schema.getType('DateTime');
  if (dateTime && isScalarType(dateTime)) {
    dateTime.parseValue = parseDateTime;
    dateTime.parseLiteral = parseDateTimeLiteral;
  }
}
