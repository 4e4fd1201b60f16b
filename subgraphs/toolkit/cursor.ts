/**
 * Cursors for keyset pagination. A list's cursor is opaque to the caller (base64url
 * of the list's name and the sort key of the last row on the page) and typed to
 * the codec: decoding a cursor made up, damaged, or given out by another list is
 * BAD_USER_INPUT naming `after`, never a query with a wrong key.
 */
import { badUserInput } from '../../platform/problems';
import { isIsoDate } from './date-scalar';
import { isUuid } from './records';

/** What one part of a sort key may hold. */
export type KeyPart = 'text' | 'uuid' | 'date' | 'integer';

const PART_CHECKS: Record<KeyPart, (value: string) => boolean> = {
  text: () => true,
  uuid: isUuid,
  date: isIsoDate,
  // A bigint id, as PostgreSQL writes it.
  integer: (value) => /^\d{1,19}$/.test(value),
};

/** A sort key: one string per part. */
export type CursorKey<P extends readonly KeyPart[]> = { [I in keyof P]: string };

export interface CursorCodec<P extends readonly KeyPart[]> {
  encode(key: CursorKey<P>): string;
  /** The key, or BAD_USER_INPUT naming `after`. */
  decode(cursor: string): CursorKey<P>;
}

/** The codec of one list, named (distinct across the graph) and with the parts of its sort key, in order. */
export function cursorCodec<const P extends readonly KeyPart[]>(list: string, parts: P): CursorCodec<P> {
  const refuse = () => badUserInput([{ field: 'after', message: 'after: not a cursor this list gave out; pass the endCursor of the previous page.' }]);
  return {
    encode: (key) => Buffer.from(JSON.stringify([list, ...key])).toString('base64url'),
    decode(cursor) {
      let value: unknown;
      try {
        value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      } catch {
        throw refuse();
      }
      if (!Array.isArray(value) || value.length !== parts.length + 1 || value[0] !== list) throw refuse();
      const key = value.slice(1);
      if (!key.every((v, i) => typeof v === 'string' && PART_CHECKS[parts[i]](v))) throw refuse();
      return key as CursorKey<P>;
    },
  };
}
