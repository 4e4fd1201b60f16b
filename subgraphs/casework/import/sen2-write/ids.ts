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

export function timeOrderedId(): string {
  // ms * 4096 + counter stays below 2^53 until the year 10889.
  last = Math.max(Date.now() * 4096, last + 1);
  const ms = Math.floor(last / 4096);
  const counter = last % 4096;
  if (at + 8 > pool.length) {
    pool = randomBytes(8192);
    at = 0;
  }
  const random = pool.toString('hex', at, at + 8);
  at += 8;
  const time = ms.toString(16).padStart(12, '0');
  // The variant bits (10) in the top of the fourth group.
  const variant = ((parseInt(random[0], 16) & 0x3) | 0x8).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${counter.toString(16).padStart(3, '0')}-${variant}${random.slice(1, 4)}-${random.slice(4, 16)}`;
}
