import { nhsCheckDigit } from '../../subgraphs/toolkit/link-key';
import { blockNhsNumber, PEOPLE_IN_999_BLOCK, populationStream, syntheticNhsNumber } from '../../subgraphs/toolkit/synthetic/population';

/** A valid NHS number: ten digits, the last the modulus 11 check digit of the first nine. */
const valid = (nhs: string) => /^\d{10}$/.test(nhs) && nhsCheckDigit(nhs.slice(0, 9)) === Number(nhs[9]);

/** Runs of indices around the block boundaries (the 999 block's end at 333,000, then every 500,000). */
const AROUND_BOUNDARIES = [[0, 40_000], [300_000, 380_000], [800_000, 870_000], [1_300_000, 1_340_000]].flatMap(([from, to]) => Array.from({ length: to - from }, (_, i) => from + i));

/** The numbering the population has always had in the 999 block, so the data at the scales in use stays the same. */
function numberedAsBefore(index: number): string {
  for (let n = index * 3; ; n++) {
    const nine = `999${String(n).padStart(6, '0')}`;
    const check = nhsCheckDigit(nine);
    if (check !== null) return nine + String(check);
  }
}

describe('synthetic NHS numbers', () => {
  it('number people as before in the 999 block, then validly and distinctly past it (England is about 120 times Nottinghamshire: 900,000 people and 670,000 former children)', () => {
    const seen = new Set<string>();
    for (const i of AROUND_BOUNDARIES) {
      const nhs = syntheticNhsNumber(i);
      if (i < PEOPLE_IN_999_BLOCK && i % 97 === 0 && nhs !== numberedAsBefore(i)) throw new Error(`index ${i} is numbered differently from before`);
      if (!valid(nhs)) throw new Error(`index ${i}: ${nhs} is not a valid NHS number`);
      seen.add(nhs);
    }
    expect(seen.size).toBe(AROUND_BOUNDARIES.length);
    expect(syntheticNhsNumber(PEOPLE_IN_999_BLOCK - 1).slice(0, 3)).toBe('999');
    expect(syntheticNhsNumber(PEOPLE_IN_999_BLOCK).slice(0, 3)).toBe('998');
  });

  it('give the former children blocks nobody else uses, valid and distinct across block boundaries', () => {
    const even = new Set<string>();
    const odd = new Set<string>();
    for (const k of AROUND_BOUNDARIES) {
      const e = blockNhsNumber(998, k);
      const o = blockNhsNumber(997, k);
      if (!valid(e) || !valid(o)) throw new Error(`k ${k}: ${e} or ${o} is not valid`);
      if (k % 3 === 0) even.add(e);
      odd.add(o);
    }
    expect(odd.size).toBe(AROUND_BOUNDARIES.length);
    expect([...even].filter((e) => odd.has(e))).toEqual([]);
    expect(blockNhsNumber(997, 499_999).slice(0, 3)).toBe('997');
    expect(blockNhsNumber(997, 500_000).slice(0, 3)).toBe('995');
    expect(blockNhsNumber(998, 1_000_000).slice(0, 3)).toBe('994');
    expect(() => blockNhsNumber(997, 50 * 500_000)).toThrow(RangeError);
  });

  it('number a block of the population drawn from a later position (scale 120\'s last block) validly, distinctly and past the 999 block', () => {
    // Scale 35 reached about 262,000 people, where the 999 block's numbering used to run out; scale 120's last block starts at 750,000.
    const people = [...populationStream(2_000, '2026-11-22', 891, 750_000)];
    expect(people[0].index).toBe(750_000);
    expect(people.every((p) => valid(p.nhsNumber))).toBe(true);
    expect(new Set(people.map((p) => p.nhsNumber)).size).toBe(2_000);
    expect(people[0].nhsNumber).toBe(syntheticNhsNumber(750_000));
    expect(people[0].nhsNumber.slice(0, 3)).toBe('998');
    expect(new Set(people.map((p) => p.upn)).size).toBe(2_000);
  });
});
