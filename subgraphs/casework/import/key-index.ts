/**
 * The first row each key was seen on, in at most 24 bytes a key however long the
 * key: keys are kept as 64-bit hashes in typed arrays, not as strings in a Map
 * (a million match keys cost about 250 MB as strings). Two different keys share
 * a hash with odds of about one in 36 million for a million keys, so a reported
 * duplicate is, for practical purposes, a real one.
 */
export class KeyIndex {
  private hashes = new Uint32Array(2 * 65_536);
  /** Row + 1; 0 is an empty slot. */
  private rows = new Uint32Array(65_536);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Two 32-bit halves of a fast non-cryptographic hash (cyrb53's mixing, kept at 64 bits). */
  private static hash(key: string): [number, number] {
    let h1 = 0xdeadbeef;
    let h2 = 0x41c6ce57;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return [h1 >>> 0, h2 >>> 0];
  }

  private slot(h0: number, h1: number): number {
    const mask = this.rows.length - 1;
    let i = h0 & mask;
    while (this.rows[i] !== 0 && (this.hashes[2 * i] !== h0 || this.hashes[2 * i + 1] !== h1)) i = (i + 1) & mask;
    return i;
  }

  get(key: string): number | undefined {
    const [h0, h1] = KeyIndex.hash(key);
    const row = this.rows[this.slot(h0, h1)];
    return row === 0 ? undefined : row - 1;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Records the key's row; a key already held keeps its first row. */
  set(key: string, row: number): void {
    const [h0, h1] = KeyIndex.hash(key);
    const i = this.slot(h0, h1);
    if (this.rows[i] !== 0) return;
    this.hashes[2 * i] = h0;
    this.hashes[2 * i + 1] = h1;
    this.rows[i] = row + 1;
    if (++this.count * 2 > this.rows.length) this.grow();
  }

  private grow(): void {
    const { hashes, rows } = this;
    this.hashes = new Uint32Array(hashes.length * 2);
    this.rows = new Uint32Array(rows.length * 2);
    for (let i = 0; i < rows.length; i++) {
      if (rows[i] === 0) continue;
      const j = this.slot(hashes[2 * i], hashes[2 * i + 1]);
      this.hashes[2 * j] = hashes[2 * i];
      this.hashes[2 * j + 1] = hashes[2 * i + 1];
      this.rows[j] = rows[i];
    }
  }
}
