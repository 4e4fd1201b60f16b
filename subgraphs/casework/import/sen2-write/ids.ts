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
/**
 * Each byte's two hex digits as character codes: an id's 36 characters are written
 * into one buffer and read out as one flat string. Joined from sixteen pieces, an id
 * was a tree of partial strings, about 450 bytes of garbage, flattened again where it
 * was first used as a key: in the benchmark's all-new import of 100,000 people
 * (about seven ids a person) 449 MB of the importer's 3.2 GB allocated (a sampling
 * heap profile of the run, not kept); 700,000 ids made and used as Map keys 0.71-0.74 s
 * against 1.39-1.45 s (a scratch script).
 */
const HEX = new Uint8Array(512);
for (let b = 0; b < 256; b++) {
  const digits = b.toString(16).padStart(2, '0');
  HEX[2 * b] = digits.charCodeAt(0);
  HEX[2 * b + 1] = digits.charCodeAt(1);
}
const id = Buffer.alloc(36, '-');

/** Writes a byte's two hex digits at `offset` of the id. */
function hex(offset: number, byte: number): void {
  id[offset] = HEX[2 * byte];
  id[offset + 1] = HEX[2 * byte + 1];
}

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
  hex(0, high >>> 8);
  hex(2, high & 0xff);
  hex(4, low >>> 24);
  hex(6, (low >>> 16) & 0xff);
  hex(9, (low >>> 8) & 0xff);
  hex(11, low & 0xff);
  // The version (7) above the counter; the variant bits (10) at the top of the random part's first byte.
  hex(14, 0x70 | (counter >>> 8));
  hex(16, counter & 0xff);
  hex(19, (r[i] & 0x3f) | 0x80);
  hex(21, r[i + 1]);
  for (let k = 0; k < 6; k++) hex(24 + 2 * k, r[i + 2 + k]);
  return id.toString('latin1', 0, 36);
}
