import { csvFilterColumns, defaultPeriod, questionParams, readQuestion, type ExplorerLists } from '../../web/explorer/request';

const lists: ExplorerLists = {
  casework: [{ code: 'EHC_20WK_EXCL', name: 'Within 20 weeks', unit: 'PERCENT', description: '' }, { code: 'EHCNA_REQUESTS', name: 'Requests', unit: 'COUNT', description: '' }],
  health: [{ code: 'WAITING_COUNT', name: 'Waiting', unit: 'COUNT', description: '' }],
  districts: [{ value: 'Ashfield', text: 'Ashfield' }, { value: 'Mansfield', text: 'Mansfield' }],
  primaryNeeds: [{ value: 'ASD', text: 'Autistic spectrum disorder' }],
  pathways: [{ value: 'SALT', text: 'Speech and language therapy' }],
  services: [{ value: 's-1', text: 'Community SALT (Speech and language therapy)' }],
};
const read = (q: string, strict = false) => readQuestion(new URLSearchParams(q), lists, '2026-12-06', { strict });

describe('the measures explorer\'s question, from its URL', () => {
  it('defaults to the first measure, monthly, over the twelve whole months before this one', () => {
    expect(defaultPeriod('2026-12-06')).toEqual({ from: '2025-12-01', to: '2026-11-30' });
    expect(read('')).toEqual({ question: { subgraph: 'casework', codes: ['EHC_20WK_EXCL'], interval: 'MONTH', from: '2025-12-01', to: '2026-11-30', filter: {} }, problems: [] });
  });

  it('takes only values on the API\'s lists, naming the field of any other', () => {
    const ok = read('subgraph=casework&code=EHCNA_REQUESTS&interval=QUARTER&from=2025-04-01&to=2026-03-31&district=Mansfield&primaryNeed=ASD&pathway=SALT');
    expect(ok.problems).toEqual([]);
    // A health filter on a casework question is not one of its filters: ignored.
    expect(ok.question.filter).toEqual({ district: 'Mansfield', primaryNeed: 'ASD' });
    expect(read('district=Atlantis&primaryNeed=XYZ&interval=DECADE&from=2025-02-30&to=x').problems.map((p) => p.field)).toEqual(['interval', 'from', 'to', 'district', 'primaryNeed']);
    expect(read('from=2026-03-01&to=2026-01-01').problems).toEqual([{ field: 'to', text: 'To must be the same as or after From' }]);
    expect(read('from=1990-01-01&to=2026-01-01').problems.map((p) => p.field)).toEqual(['from']);
    expect(read('code=NOPE').problems).toEqual([{ field: 'code', text: 'Choose a measure from the list of casework measures' }]);
  });

  it('on the page, a switch to health starts with health\'s first measure; the CSV insists on a code of its own side', () => {
    expect(read('subgraph=health&code=EHC_20WK_EXCL').question.codes).toEqual(['WAITING_COUNT']);
    expect(read('subgraph=health&code=EHC_20WK_EXCL').problems).toEqual([]);
    expect(read('subgraph=health&code=EHC_20WK_EXCL', true).problems.map((p) => p.field)).toEqual(['code']);
    expect(read('subgraph=casework', true).problems).toEqual([{ field: 'code', text: 'Choose a measure (code=…)' }]);
  });

  it('round-trips through its URL, and names a service in the CSV by name', () => {
    const { question } = read('subgraph=health&code=WAITING_COUNT&serviceId=s-1&from=2025-01-01&to=2025-06-30');
    expect(read(questionParams(question).toString()).question).toEqual(question);
    expect(csvFilterColumns(question, lists)).toEqual([{ header: 'pathway', value: null }, { header: 'service', value: 'Community SALT (Speech and language therapy)' }]);
  });
});
