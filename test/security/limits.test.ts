import { DEFAULT_LIMITS, requestLimitsFromEnv, subgraphLimits } from '../../platform/limits';

describe('request limit settings', () => {
  it('defaults when nothing is set', () => {
    expect(requestLimitsFromEnv({})).toEqual(DEFAULT_LIMITS);
  });

  it('reads each GRAPHQL_MAX_* variable', () => {
    expect(requestLimitsFromEnv({ GRAPHQL_MAX_DEPTH: '7', GRAPHQL_MAX_ALIASES: '3', GRAPHQL_MAX_TOKENS: '500', GRAPHQL_MAX_COST: '900', GRAPHQL_MAX_DIRECTIVES: '4' })).toEqual({ maxDepth: 7, maxAliases: 3, maxTokens: 500, maxCost: 900, maxDirectives: 4 });
  });

  it.each(['0', '-1', '2.5', 'ten', '1e3x'])('refuses %p, naming the variable', (value) => {
    expect(() => requestLimitsFromEnv({ GRAPHQL_MAX_ALIASES: value })).toThrow(`GRAPHQL_MAX_ALIASES must be a whole number of at least 1; got "${value}".`);
  });

  it('subgraphs allow more than the gateway, never less', () => {
    const looser = subgraphLimits(DEFAULT_LIMITS);
    for (const key of Object.keys(DEFAULT_LIMITS) as Array<keyof typeof DEFAULT_LIMITS>) expect(looser[key]).toBeGreaterThan(DEFAULT_LIMITS[key]);
  });
});
