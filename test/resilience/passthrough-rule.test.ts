import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse, type GraphQLSchema } from 'graphql';
import { enumSizeIn, wholeFetchOf, type PlanLike } from '../../gateway/passthrough';

/**
 * The passthrough's rule, over plans the gateway's own query planner builds from
 * the real supergraph: an operation one subgraph answers whole, whose fetch asks
 * exactly what the client asked, is passed through; everything else is refused,
 * so it takes the normal path.
 */

const fromGateway = createRequire(require.resolve('@apollo/gateway'));
interface Supergraph {
  schema: { toGraphQLJSSchema(): GraphQLSchema };
  apiSchema(): { toGraphQLJSSchema(): GraphQLSchema };
}
const internals = fromGateway('@apollo/federation-internals') as {
  Supergraph: { build(sdl: string): Supergraph };
  operationFromDocument(schema: object, document: ReturnType<typeof parse>, options?: { operationName?: string }): object;
};
const { QueryPlanner } = fromGateway('@apollo/query-planner') as { QueryPlanner: new (supergraph: Supergraph) => { buildQueryPlan(operation: object): PlanLike } };

function planner(sdl: string) {
  const supergraph = internals.Supergraph.build(sdl);
  const api = supergraph.apiSchema();
  const schema = api.toGraphQLJSSchema();
  const enumSize = enumSizeIn(supergraph.schema.toGraphQLJSSchema());
  const queryPlanner = new QueryPlanner(supergraph);
  return {
    schema,
    decide(query: string, operationName?: string, sizes = enumSize) {
      const document = parse(query);
      let plan: PlanLike;
      try {
        plan = queryPlanner.buildQueryPlan(internals.operationFromDocument(api, document, { operationName }));
      } catch (err) {
        // The planner's errors hold the whole schema, more than jest can copy: the message is enough.
        throw new Error(`not planned: ${(err as Error).message}`);
      }
      return wholeFetchOf(plan, document, operationName, schema, sizes);
    },
  };
}

describe('which operations the gateway passes through', () => {
  let real: ReturnType<typeof planner>;
  beforeAll(() => {
    real = planner(readFileSync(join(__dirname, '..', '..', 'schema', 'supergraph.graphql'), 'utf8'));
  });
  const decide: ReturnType<typeof planner>['decide'] = (...args) => real.decide(...args);

  it("passes the benchmark's trivial and analyst operations to the one subgraph that answers them", () => {
    expect(decide('query Trivial { governanceBodies { nodes { code name } } }')).toEqual({
      serviceName: 'governance',
      operation: 'query Trivial__governance__0{governanceBodies{nodes{code name}}}',
      operationName: 'Trivial__governance__0',
      variableUsages: [],
    });
    const analyst = decide(`query Analyst($codes: [ID!]!, $to: Date!) {
      healthMeasures(codes: $codes, from: "2019-01-01", to: $to, interval: QUARTER) { code unit points { periodStart value suppressed } }
      waitingList(asOf: $to) { total totalSuppressed bands { label count suppressed } } }`);
    expect(analyst).toMatchObject({ serviceName: 'health', variableUsages: ['codes', 'to'] });
  });

  it('passes nested lists, arguments, __typename on object types and a chosen operation among several', () => {
    expect(decide('{ governanceBodies(first: 5) { totalCount pageInfo { hasNextPage endCursor } nodes { __typename code meetings(first: 2) { nodes { heldDate title } } } } }')).toMatchObject({ serviceName: 'governance' });
    expect(decide('query A { governanceBodies { nodes { code } } } query B { waitingList(asOf: "2026-01-01") { total } }', 'B')).toMatchObject({ serviceName: 'health' });
  });

  const refused: Array<[string, string]> = [
    ['an alias', '{ bodies: governanceBodies { nodes { code } } }'],
    ['an alias deep down', '{ governanceBodies { nodes { shortName: code } } }'],
    ['a fragment spread', '{ governanceBodies { nodes { ...Body } } } fragment Body on GovernanceBody { code }'],
    ['an unused fragment', '{ governanceBodies { nodes { code } } } fragment Body on GovernanceBody { code }'],
    ['an inline fragment', '{ governanceBodies { nodes { ... on GovernanceBody { code } } } }'],
    ['@include with a variable', 'query($all: Boolean!) { governanceBodies { nodes { code name @include(if: $all) } } }'],
    ['@skip with a literal', '{ governanceBodies { nodes { code name @skip(if: false) } } }'],
    ['introspection', '{ __schema { queryType { name } } }'],
    ['introspection beside data', '{ __type(name: "Query") { name } governanceBodies { nodes { code } } }'],
    ['__typename at the root', '{ __typename governanceBodies { nodes { code } } }'],
    ['a mutation', 'mutation { recordEhcnaRequest(input: { childId: "00000000-0000-0000-0000-000000000000", receivedDate: "2026-01-01", source: PARENT }) { request { id } } }'],
    ['two subgraphs at the root', '{ governanceBodies { nodes { code } } waitingList(asOf: "2026-01-01") { total } }'],
    [
      'entity steps (the caseworker page: casework, then health)',
      '{ children(first: 5, filter: { hasActivePlan: true }) { nodes { forename requests { assessment { healthAdvice { askedDate } } } } } }',
    ],
    ['fields computed through @requires (the dashboard)', '{ assuranceDashboard(asOf: "2026-01-01") { actionsNeedingAttention { status } } }'],
  ];
  for (const [what, query] of refused) {
    it(`refuses ${what}`, () => {
      expect(decide(query)).toBeUndefined();
    });
  }

  it('refuses an enum whose values the API does not all show (shaping would null the hidden ones)', () => {
    const query = '{ waitingList(asOf: "2026-01-01", filter: { pathway: OT }) { total pathway } }';
    expect(decide(query)).toMatchObject({ serviceName: 'health' });
    const shown = enumSizeIn(real.schema);
    // As if Pathway had a value marked @inaccessible in the supergraph.
    expect(decide(query, undefined, (name) => (name === 'Pathway' ? shown(name)! + 1 : shown(name)))).toBeUndefined();
  });

  it('refuses abstract types, where the planner adds __typename and shaping takes it out', () => {
    // The supergraph has no interface or union yet: a small one composed for the case.
    const { composeServices } = fromGateway('@apollo/composition') as { composeServices(services: Array<{ name: string; url: string; typeDefs: ReturnType<typeof parse> }>): { supergraphSdl?: string; errors?: unknown[] } };
    const composed = composeServices([
      {
        name: 'records',
        url: 'http://records/graphql',
        typeDefs: parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@inaccessible"])
          interface Entry { id: ID! }
          type Note implements Entry { id: ID! text: String! }
          type Query { entries: [Entry!]! notes: [Note!]! }`),
      },
    ]);
    expect(composed.errors ?? []).toEqual([]);
    const small = planner(composed.supergraphSdl!);
    expect(small.decide('{ notes { id text } }')).toMatchObject({ serviceName: 'records' });
    expect(small.decide('{ entries { id } }')).toBeUndefined();
  });
});
