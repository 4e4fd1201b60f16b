import { createHash } from 'node:crypto';
import { addSpaceFamilies, blockDraw, drawSpace, generateReferrals, generateSpace, referralChunks } from '../../subgraphs/health/seed/synthetic';
import { syntheticPopulation } from '../../subgraphs/toolkit/synthetic/population';
import { Random } from '../../subgraphs/toolkit/synthetic/random';

const TODAY = '2026-03-01';
const sha = (x: unknown) => createHash('sha256').update(JSON.stringify(x)).digest('hex').slice(0, 16);
const people = syntheticPopulation(375, TODAY);
const keys = new Map(people.map((p) => [p.nhsNumber, `k${p.nhsNumber}`]));
const services = new Map(['CAMHS-CRISIS', 'NN-CAMHS', 'SN-CAMHS', 'ND-NORTH', 'ND-SOUTH', 'PAEDS-NORTH', 'PAEDS-SOUTH', 'SALT', 'OT', 'PHYSIO', 'CYP-EDS', 'SPACE'].map((c) => [c, `svc-${c}`]));

describe('the health seed\'s synthetic referrals and SPACE cohorts', () => {
  it('are what they were before referrals were streamed (fingerprints taken on main before the change), in the first block and a later one', () => {
    const first = generateReferrals(people, keys, services, TODAY);
    const later = generateReferrals(people, keys, services, TODAY, blockDraw(2, 500));
    expect(first).toHaveLength(417);
    expect(sha(first)).toBe('552d0467d335cff3');
    expect(sha(later)).toBe('c2d3bf280c435db6');
    expect(sha(generateSpace(first, 'S', 0.05, TODAY))).toBe('02cdf8b44cf5d9ff');
    expect(sha(generateSpace(later, 'S', 0.05, TODAY, blockDraw(2, 40)))).toBe('b7d6fe96abce88f1');
  });

  it('stream a chunk at a time exactly as drawn whole, numbered on across chunks, and SPACE draws the same from the families alone', () => {
    const whole = generateReferrals(people, keys, services, TODAY, blockDraw(1, 70));
    const chunks = [...referralChunks(people, keys, services, TODAY, blockDraw(1, 70), 50)];
    expect(chunks.length).toBeGreaterThan(5);
    // A person's referrals stay together: a chunk passes its size by at most one person's (three).
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(53);
    expect(chunks.flat()).toEqual(whole);
    expect(whole[0].sourceId).toBe('SYN-0000071');
    const families = new Set<string>();
    for (const chunk of chunks) addSpaceFamilies(families, chunk);
    expect(families.size).toBeGreaterThan(20);
    expect(drawSpace(families, 'S', 0.05, TODAY, blockDraw(1, 9))).toEqual(generateSpace(whole, 'S', 0.05, TODAY, blockDraw(1, 9)));
  });

  it('draw ids as version-4 UUIDs of one flat string each, the same run to run', () => {
    const a = new Random(42);
    const ids = Array.from({ length: 200 }, () => a.uuid());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(200);
    const b = new Random(42);
    expect(Array.from({ length: 200 }, () => b.uuid())).toEqual(ids);
  });
});
