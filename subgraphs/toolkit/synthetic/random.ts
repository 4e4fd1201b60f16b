/**
 * A small seeded PRNG (mulberry32) so synthetic data is the same on every machine
 * and every run: tests and calibration can rely on exact figures.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by weight: `[[value, weight], ...]`. */
  weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T {
    const total = choices.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [value, w] of choices) {
      r -= w;
      if (r < 0) return value;
    }
    return choices[choices.length - 1][0];
  }

  /** A normally distributed value (Box-Muller). */
  normal(mean: number, sd: number): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A log-normally distributed value with the given median. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(this.normal(0, sigma));
  }

  /**
   * A version-4-shaped UUID drawn from this generator, so ids repeat run to run.
   * Built from character codes into one flat string: a string joined from slices
   * is a tree of pieces in V8 (about 400 bytes instead of 60), and a seed holds
   * hundreds of thousands of ids at once.
   */
  uuid(): string {
    const codes = UUID_CODES;
    for (let i = 0; i < 32; i++) {
      const digit = this.int(0, 15);
      if (i === 16) codes[19] = HEX[(digit & 3) | 8]; // the variant (8, 9, a or b) from the 17th digit
      else if (UUID_POSITION[i] >= 0) codes[UUID_POSITION[i]] = HEX[digit];
    }
    return String.fromCharCode.apply(null, codes);
  }

}

/** Character codes of the hexadecimal digits. */
const HEX = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** The 36 characters of a UUID being built (one at a time: uuid() is synchronous); the hyphens and the version (4) stay. */
const UUID_CODES: number[] = Array.from('00000000-0000-4000-8000-000000000000', (c) => c.charCodeAt(0));

/** Where each of the 32 drawn digits goes in the UUID: the 13th is dropped for the version, the 17th becomes the variant. */
const UUID_POSITION: number[] = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, -1, 15, 16, 17, 19, 20, 21, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35];
