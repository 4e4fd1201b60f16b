import { randomBytes } from 'node:crypto';

/**
 * Ids for the rows an import creates, in the layout of RFC 9562's UUID version 7:
 * the time in milliseconds in the first 48 bits, then a counter (12 bits) that
 * keeps ids from one process increasing within a millisecond, then 62 random bits.
 *
 * Why not randomUUID (version 4): every primary key and every index on a column
 * holding another row's id (a request's child, a placement's plan) is a B-tree in
 * id order. Random ids put each insert on a random leaf, so an import of 100,000
 * people touches every page of every such index over and over, and once those
 * indexes outgrow PostgreSQL's buffers they are read back and written out (and,
 * after each checkpoint, logged whole) again and again. Ids that increase go to
 * the right-hand edge: a few hot pages per index, whatever the size. The ids are
 * still unique (62 random bits per millisecond and counter) and still say nothing
 * about the person; they do say when the row was created, to the millisecond,
 * which the rows' audit entries record anyway.
 */
let last = 0;
let pool = Buffer.alloc(0);
let at = 0;
/** Each byte's two hex digits: an id is sixteen lookups, not a buffer's hex string sliced and formatted (the import makes about seven ids a person). */
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

export function timeOrderedId(): string {
  // ms * 4096 + counter stays below 2^53 until the year 10889.
  last = Math.max(Date.now() * 4096, last + 1);
  const ms = Math.floor(last / 4096);
  const counter = last % 4096;
  if (at + 8 > pool.length) {
    pool = randomBytes(8192);
    at = 0;
  }
  const r = pool;
  const i = at;
  at += 8;
  // 48 bits of milliseconds as three 16-bit parts (bitwise operators hold only 32 bits).
  const high = Math.floor(ms / 0x100000000);
  const low = ms % 0x100000000;
  const time = HEX[high >>> 8] + HEX[high & 0xff] + HEX[low >>> 24] + HEX[(low >>> 16) & 0xff] + '-' + HEX[(low >>> 8) & 0xff] + HEX[low & 0xff];
  // The version (7) above the counter; the variant bits (10) at the top of the random part's first byte.
  return `${time}-${HEX[0x70 | (counter >>> 8)]}${HEX[counter & 0xff]}-${HEX[(r[i] & 0x3f) | 0x80]}${HEX[r[i + 1]]}-${HEX[r[i + 2]]}${HEX[r[i + 3]]}${HEX[r[i + 4]]}${HEX[r[i + 5]]}${HEX[r[i + 6]]}${HEX[r[i + 7]]}`;
}
