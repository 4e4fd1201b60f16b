import { GraphQLScalarType } from 'graphql';
import { isIsoDate, parseDate, parseDateLiteral, parseDateTime, parseDateTimeLiteral } from '../../platform/scalars';

export { isIsoDate };

/**
 * A calendar date with no time or time zone, as statutory timescales count days.
 * Kept as a 'YYYY-MM-DD' string end to end so no time-zone shift can move a date.
 * Its input rule lives in platform/ so the gateway applies the same one.
 */
export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD, with no time zone.',
  serialize(value) {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    return parseDate(value);
  },
  parseValue: parseDate,
  parseLiteral: parseDateLiteral,
});

/**
 * An instant, ISO 8601 in UTC (e.g. 2026-03-31T14:05:09.123Z): when something
 * happened, as the audit trail records it. Dates without a time are Date.
 */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An instant: an ISO 8601 date and time in UTC, e.g. 2026-03-31T14:05:09.123Z.',
  serialize(value) {
    if (value instanceof Date) return value.toISOString();
    return parseDateTime(value);
  },
  parseValue: parseDateTime,
  parseLiteral: parseDateTimeLiteral,
});
