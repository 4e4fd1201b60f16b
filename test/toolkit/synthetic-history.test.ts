import { createHash } from 'node:crypto';
import { generateHealthAdvice } from '../../subgraphs/health/seed/synthetic';
import { areaBlocks, CASES_PER_CHUNK, generateCaseworkHistory, syntheticArea, type CaseworkHistory } from '../../subgraphs/toolkit/synthetic/casework-history';
import { nhsCheckDigit } from '../../subgraphs/toolkit/link-key';
import { NOTTINGHAMSHIRE_CHILDREN, syntheticPopulation } from '../../subgraphs/toolkit/synthetic/population';

const TODAY = '2026-03-01';
const sha = (x: unknown) => createHash('sha256').update(JSON.stringify(x)).digest('hex').slice(0, 16);
const valid = (nhs: string) => /^\d{10}$/.test(nhs) && nhsCheckDigit(nhs.slice(0, 9)) === Number(nhs[9]);

/** Every chunk of every block, joined as one history, and the blocks' people. */
function drawAll(scale: number, today: string, blockScale?: number): { people: string[]; history: CaseworkHistory; blocks: number } {
  const history: CaseworkHistory = { children: [], teams: [], caseworkers: [], allocations: [], requests: [], assessments: [], plans: [], placements: [], senNeeds: [], reviews: [] };
  const people: string[] = [];
  let blocks = 0;
  for (const block of areaBlocks({ scale, today }, blockScale)) {
    blocks++;
    people.push(...block.people.map((p) => p.nhsNumber));
    for (const chunk of block.chunks()) for (const key of Object.keys(history) as Array<keyof CaseworkHistory>) (history[key] as unknown[]).push(...chunk[key]);
  }
  return { people, history, blocks };
}

describe('the synthetic casework history both seeds read', () => {
  it('is what it was before it was streamed: the same people and records at a small scale (fingerprints taken before the change)', () => {
    const { people, history } = syntheticArea({ scale: 0.05, today: TODAY });
    expect(sha(people)).toBe('f2d57eb0a51a1518');
    expect(sha(history)).toBe('b8619fba104a113f');
    expect(sha(generateHealthAdvice(history.assessments, (n) => `k${n}`))).toBe('32fd2d736ee7b163');
    const larger = syntheticArea({ scale: 0.3, today: '2026-11-22' });
    expect(larger.history.requests.length).toBeGreaterThan(CASES_PER_CHUNK); // more than one chunk of cases
    expect(sha(larger.history)).toBe('393061d99c11c455');
  });

  it('streams up to one block exactly as drawn whole, a bounded chunk of cases at a time', () => {
    const people = syntheticPopulation(Math.round(NOTTINGHAMSHIRE_CHILDREN * 0.3), TODAY);
    const blocks = [...areaBlocks({ scale: 0.3, today: TODAY })];
    expect(blocks).toHaveLength(1);
    let chunks = 0;
    for (const chunk of blocks[0].chunks()) {
      chunks++;
      expect(chunk.requests.length).toBeLessThanOrEqual(CASES_PER_CHUNK);
    }
    expect(chunks).toBeGreaterThan(2);
    expect(drawAll(0.3, TODAY).history).toEqual(generateCaseworkHistory(people, TODAY));
  });

  it('draws a larger area in blocks whose people, former children and records never share an NHS number, UPN or id', () => {
    const { people, history, blocks } = drawAll(0.1, TODAY, 0.025);
    expect(blocks).toBe(4);
    expect(people).toHaveLength(Math.round(NOTTINGHAMSHIRE_CHILDREN * 0.1));
    const nhs = history.children.map((c) => c.nhsNumber);
    expect(nhs.filter((n) => !valid(n))).toEqual([]);
    expect(new Set(nhs).size).toBe(nhs.length);
    expect(new Set(history.children.map((c) => c.upn)).size).toBe(nhs.length);
    // Every person of every block is a child of the history, once.
    expect(history.children.filter((c) => c.inPopulation).map((c) => c.nhsNumber).sort()).toEqual([...people].sort());
    const ids = Object.values(history).flatMap((rows: Array<{ id: string }>) => rows.map((r) => r.id));
    expect(new Set(ids).size).toBe(ids.length);
    // Staff are drawn once, for the whole area, and every allocation is to one of them.
    expect(history.teams).toHaveLength(3);
    const workers = new Set(history.caseworkers.map((w) => w.id));
    expect(history.allocations.every((a) => a.caseworkerId === null || workers.has(a.caseworkerId))).toBe(true);
    // The blocks together are about the area's size: requests within 2% of one block drawn whole.
    const whole = syntheticArea({ scale: 0.1, today: TODAY }).history.requests.length;
    expect(Math.abs(history.requests.length - whole) / whole).toBeLessThan(0.02);
  });

  it('gives health one advice request per assessment that asked for it, with the council\'s dates', () => {
    const { history } = syntheticArea({ scale: 0.02, today: TODAY });
    const advice = generateHealthAdvice(history.assessments, (nhs) => `key-${nhs}`);
    const asked = history.assessments.filter((a) => a.healthAdviceAskedDate);
    expect(asked.length).toBeGreaterThan(10);
    expect(advice.map((r) => [r.assessmentId, r.linkKey, r.askedDate, r.returnedDate])).toEqual(
      asked.map((a) => [a.id, `key-${a.nhsNumber}`, a.healthAdviceAskedDate, a.healthAdviceReturnedDate]),
    );
  });
});
