import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD (so 2023-02-29 is refused). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function parse(value: unknown): string {
  if (!isIsoDate(value)) throw new GraphQLError(`Date must be a calendar date written YYYY-MM-DD; got ${JSON.stringify(value)}.`);
  return value;
}

/**
 * A calendar date with no time or time zone, as statutory timescales count days.
 * Kept as a 'YYYY-MM-DD' string end to end so no time-zone shift can move a date.
 */
export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD, with no time zone.',
  serialize(value) {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    return parse(value);
  },
  parseValue: parse,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Date must be a string written YYYY-MM-DD.');
    return parse(ast.value);
  },
});
