import { generateHealthAdvice } from '../../subgraphs/health/seed/synthetic';
import { generateCaseworkHistory, syntheticArea } from '../../subgraphs/toolkit/synthetic/casework-history';
import { NOTTINGHAMSHIRE_CHILDREN, syntheticPopulation } from '../../subgraphs/toolkit/synthetic/population';

const TODAY = '2026-03-01';

describe('the synthetic casework history both seeds read', () => {
  it('is drawn once per seeding run: the same options object gets the same history', () => {
    const options = { scale: 0.02, today: TODAY };
    const first = syntheticArea(options);
    expect(syntheticArea(options)).toBe(first);
    // Another run with the same options draws it afresh, and identically (pure).
    const again = syntheticArea({ scale: 0.02, today: TODAY });
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
    expect(first.people).toEqual(syntheticPopulation(Math.round(NOTTINGHAMSHIRE_CHILDREN * 0.02), TODAY));
    expect(first.history).toEqual(generateCaseworkHistory(first.people, TODAY));
  });

  it('draws again when the options object now asks for another day', () => {
    const options = { scale: 0.02, today: TODAY };
    const before = syntheticArea(options).history;
    options.today = '2025-03-01';
    const after = syntheticArea(options).history;
    expect(after).not.toBe(before);
    expect(after.requests.every((r) => r.receivedDate <= '2025-03-01')).toBe(true);
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
