import { callerErrors, partialResponse, SUBGRAPH_UNAVAILABLE } from '../../gateway/partial';

const failure = { code: SUBGRAPH_UNAVAILABLE, message: "health's service (ICB) did not answer within 5000 ms: the fields it provides are null." };
const extensions = { code: SUBGRAPH_UNAVAILABLE, serviceName: 'health', organisation: 'ICB' };

describe('what the gateway answers in place of a subgraph that did not', () => {
  it('a root fetch: each root field null under its response name, one error each', () => {
    const r = partialResponse('query Q__health__0 { measures: healthMeasures(codes: ["A"]) { code } waitingList { count } __typename }', {}, 'health', failure);
    expect(r.data).toEqual({ measures: null, waitingList: null });
    expect(r.errors).toEqual([
      { message: failure.message, path: ['measures'], extensions },
      { message: failure.message, path: ['waitingList'], extensions },
    ]);
  });

  it('an entity fetch: each representation keeps its type, with the fields asked of that type null (inline and named fragments)', () => {
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Child { healthReferrals { pathway } }
      ... on KpiReading { ...Figures }
    } } fragment Figures on KpiReading { healthFigures { code } __typename }`;
    const representations = [{ __typename: 'Child', id: 'c1' }, { __typename: 'KpiReading', id: 'k1' }];
    const r = partialResponse(query, { representations }, 'health', failure);
    expect(r.data).toEqual({ _entities: [{ __typename: 'Child', healthReferrals: null }, { __typename: 'KpiReading', healthFigures: null }] });
    expect(r.errors.map((e) => e.path)).toEqual([['_entities', 0, 'healthReferrals'], ['_entities', 1, 'healthFigures']]);
  });

  it('an operation that cannot be read still gets one error naming the subgraph', () => {
    const r = partialResponse('{ not graphql', {}, 'health', failure);
    expect(r).toEqual({ data: {}, errors: [{ message: failure.message, extensions }] });
  });
});

describe('errors in the caller\'s terms', () => {
  it('points an unavailable subgraph\'s error at the deepest part of the answer that exists, once per place; other errors untouched', () => {
    const data = { assuranceDashboard: { kpiCards: [] }, children: { nodes: [{ healthReferrals: null }] } };
    const other = { message: 'no', path: ['x', 'y'], extensions: { code: 'FORBIDDEN' } };
    const out = callerErrors(data, [
      { message: 'm', path: ['assuranceDashboard', 'healthFigures'], extensions },
      { message: 'm', path: ['assuranceDashboard', 'healthFigures'], extensions },
      { message: 'm', path: ['children', 'nodes', 0, 'healthReferrals'], extensions },
      other,
    ]);
    expect(out).toEqual([
      { message: 'm', path: ['assuranceDashboard'], extensions },
      { message: 'm', path: ['children', 'nodes', 0, 'healthReferrals'], extensions },
      other,
    ]);
  });
});
