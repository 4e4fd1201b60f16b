import { DEFAULT_LIMITS, requestLimitsFromEnv, subgraphLimits } from '../../platform/limits';

describe('request limit settings', () => {
  it('defaults when nothing is set', () => {
    expect(requestLimitsFromEnv({})).toEqual(DEFAULT_LIMITS);
  });

  it('reads each GRAPHQL_MAX_* variable', () => {
    expect(
      requestLimitsFromEnv({ GRAPHQL_MAX_DEPTH: '7', GRAPHQL_MAX_ALIASES: '3', GRAPHQL_MAX_TOKENS: '500', GRAPHQL_MAX_COST: '900', GRAPHQL_MAX_DIRECTIVES: '4', GRAPHQL_MAX_REPRESENTATIONS: '300', GRAPHQL_MAX_STRING_LENGTH: '2000' }),
    ).toEqual({ maxDepth: 7, maxAliases: 3, maxTokens: 500, maxCost: 900, maxDirectives: 4, maxRepresentations: 300, maxStringLength: 2000 });
  });

  it.each(['0', '-1', '2.5', 'ten', '1e3x'])('refuses %p, naming the variable', (value) => {
    expect(() => requestLimitsFromEnv({ GRAPHQL_MAX_ALIASES: value })).toThrow(`GRAPHQL_MAX_ALIASES must be a whole number of at least 1; got "${value}".`);
  });

  it('subgraphs allow more than the gateway, never less', () => {
    const looser = subgraphLimits(DEFAULT_LIMITS);
    // The gateway's plans add depth, aliases, tokens and cost; values and representations are passed on as they are.
    for (const key of ['maxDepth', 'maxAliases', 'maxTokens', 'maxCost', 'maxDirectives'] as const) expect(looser[key]).toBeGreaterThan(DEFAULT_LIMITS[key]);
    for (const key of ['maxRepresentations', 'maxStringLength'] as const) expect(looser[key]).toBe(DEFAULT_LIMITS[key]);
  });
});
