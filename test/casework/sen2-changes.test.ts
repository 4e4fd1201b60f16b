import { childChanges, type HeldChild } from '../../subgraphs/casework/import/sen2-write/match';
import { changes, type HeldRow } from '../../subgraphs/casework/import/sen2-write/plan';

/**
 * A return that leaves a record as it is sends no update of it (sen2-write): the
 * writer decides as the update's `IS DISTINCT FROM` would, so a record it skips is
 * one the update would have left alone, and any doubt sends it.
 */
describe('which updates of records held a return sends (pure)', () => {
  const child: HeldChild = {
    id: 'c1', upn: 'A123456789012', uln: null, surname: 'Able', forename: 'Amy', birth_date: '2012-03-04', nhs_number: null,
    sex: 'F', ethnicity: 'WBRI', postcode: 'NG1 1AA', primary_need: 'ASD',
  };
  const same = { surname: 'Able', forename: 'Amy', birth_date: '2012-03-04', sex: 'F', ethnicity: 'WBRI', postcode: 'NG1 1AA', upn: 'A123456789012', uln: null };

  it('a child whose values the person repeats is not written; any value the person changes writes it', () => {
    expect(childChanges(child, same)).toBe(false);
    for (const [field, value] of [['surname', 'ABLE'], ['forename', 'Amie'], ['birth_date', '2012-03-05'], ['sex', 'M'], ['ethnicity', 'WIRI'], ['postcode', 'NG2 2BB'], ['upn', 'B123456789012'], ['uln', '1234567890']] as const) {
      expect([field, childChanges(child, { ...same, [field]: value })]).toEqual([field, true]);
    }
  });

  it('what the person leaves out the child keeps, so leaving it out changes nothing', () => {
    expect(childChanges(child, { ...same, ethnicity: null, postcode: null, upn: null, uln: null })).toBe(false);
    // A value the child lacks, given, is a change.
    expect(childChanges({ ...child, postcode: null }, same)).toBe(true);
  });

  const request: HeldRow = { outcome: 'Y', outcome_date: '2023-02-10', mediation: false, tribunal: false, source: null };
  const requestWrite = { outcome: 'Y', outcome_date: '2023-02-10', mediation: false, tribunal: false, young_person: false };

  it('a request: each column its update sets; a young person\'s request is named so once, never taken back', () => {
    expect(changes.request(requestWrite, request)).toBe(false);
    expect(changes.request({ ...requestWrite, outcome: 'N' }, request)).toBe(true);
    expect(changes.request({ ...requestWrite, outcome_date: null }, request)).toBe(true);
    expect(changes.request({ ...requestWrite, mediation: true }, request)).toBe(true);
    expect(changes.request({ ...requestWrite, tribunal: true }, request)).toBe(true);
    expect(changes.request({ ...requestWrite, young_person: true }, request)).toBe(true);
    expect(changes.request({ ...requestWrite, young_person: true }, { ...request, source: 'YOUNG_PERSON' })).toBe(false);
    expect(changes.request(requestWrite, { ...request, source: 'YOUNG_PERSON' })).toBe(false);
  });

  it('an assessment, a plan and a review: each column their updates set', () => {
    const assessment: HeldRow = { outcome: 'Y', outcome_date: '2023-05-01', mediation: false, tribunal: false, week20exception: false };
    const a = { outcome: 'Y', outcome_date: '2023-05-01', mediation: false, tribunal: false, week20exception: false };
    expect(changes.assessment(a, assessment)).toBe(false);
    for (const [k, v] of [['outcome', 'N'], ['outcome_date', '2023-05-02'], ['mediation', true], ['tribunal', true], ['week20exception', true]] as const) expect([k, changes.assessment({ ...a, [k]: v }, assessment)]).toEqual([k, true]);

    const plan: HeldRow = { issue_date: '2023-05-22', personal_budget: false, cease_date: null, cease_reason: null };
    const e = { issue_date: '2023-05-22', personal_budget: false, cease_date: null, cease_reason: null };
    expect(changes.plan(e, plan)).toBe(false);
    for (const [k, v] of [['issue_date', '2023-05-23'], ['personal_budget', true], ['cease_date', '2024-01-01'], ['cease_reason', 'MOVED']] as const) expect([k, changes.plan({ ...e, [k]: v }, plan)]).toEqual([k, true]);

    const review: HeldRow = { outcome: 'M', decision_date: '2024-05-20' };
    expect(changes.review({ outcome: 'M', decision_date: '2024-05-20' }, review)).toBe(false);
    expect(changes.review({ outcome: 'A', decision_date: '2024-05-20' }, review)).toBe(true);
    expect(changes.review({ outcome: 'M', decision_date: null }, review)).toBe(true);
  });

  it('a row not read is sent, and its update decides', () => {
    expect(changes.request(requestWrite, undefined)).toBe(true);
    expect(changes.review({ outcome: null, decision_date: null }, undefined)).toBe(true);
  });
});
