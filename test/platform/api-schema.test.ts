import { composeServices } from '@apollo/composition';
import { getNamedType, getNullableType, isEnumType, isInputObjectType, isInterfaceType, isListType, isObjectType, isScalarType, isSpecifiedScalarType, parse, type GraphQLOutputType, type GraphQLSchema } from 'graphql';
import { subgraphSdl } from '../../infra/schemas';
import { SUBGRAPHS } from '../../infra/subgraphs';

/**
 * The client-facing schema, as the gateway serves it: the composed supergraph
 * without federation's join__/link__ elements and without what is @inaccessible.
 * docs/api-conventions.md says what must hold for every part of it.
 */
async function apiSchema(): Promise<GraphQLSchema> {
  const services = await Promise.all(SUBGRAPHS.map(async (s) => ({ name: s.name, typeDefs: parse(await subgraphSdl(s.name)) })));
  const result = composeServices(services);
  if (result.errors) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.schema.toAPISchema().toGraphQLJSSchema();
}

/** The schema's own types, not GraphQL's (introspection types, built-in scalars). */
function ownTypes(schema: GraphQLSchema) {
  return Object.values(schema.getTypeMap()).filter((t) => !t.name.startsWith('__') && !(isScalarType(t) && isSpecifiedScalarType(t)));
}

describe('the client-facing schema', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await apiSchema();
  });

  it('describes every type, field, argument, input field and enum value', () => {
    const undescribed: string[] = [];
    const need = (what: string, description: string | null | undefined) => {
      if (!description?.trim()) undescribed.push(what);
    };
    for (const type of ownTypes(schema)) {
      if (!['Query', 'Mutation'].includes(type.name)) need(type.name, type.description);
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          need(`${type.name}.${field.name}`, field.description);
          for (const arg of field.args) need(`${type.name}.${field.name}(${arg.name})`, arg.description);
        }
      } else if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) need(`${type.name}.${field.name}`, field.description);
      } else if (isEnumType(type)) {
        for (const value of type.getValues()) need(`${type.name}.${value.name}`, value.description);
      }
    }
    expect(undescribed).toEqual([]);
  });

  it('shows no federation plumbing: no join__/link__ elements, no measure specs or figures between subgraphs', () => {
    const names = ownTypes(schema).map((t) => t.name);
    expect(names.filter((n) => /^(join|link)__/.test(n))).toEqual([]);
    expect(schema.getDirectives().map((d) => d.name).filter((n) => /^(join|link)__|^inaccessible$/.test(n))).toEqual([]);
    expect(names).not.toContain('MeasureFigure');
    for (const typeName of ['KpiReading', 'ActionAssessment', 'AssuranceDashboard', 'PartnerBriefing']) {
      const type = schema.getType(typeName);
      if (!isObjectType(type)) throw new Error(`${typeName} is missing`);
      const fields = Object.keys(type.getFields());
      expect({ typeName, plumbing: fields.filter((f) => ['caseworkMeasures', 'healthMeasures', 'caseworkFigures', 'healthFigures'].includes(f)) }).toEqual({ typeName, plumbing: [] });
    }
  });

  it('gives every connection the same shape, and every root list a connection with a filter', () => {
    const connections = ownTypes(schema).filter((t) => t.name.endsWith('Connection'));
    expect(connections.length).toBeGreaterThan(10);
    for (const c of connections) {
      if (!isObjectType(c)) throw new Error(`${c.name} is not an object type`);
      const fields = c.getFields();
      const shape = Object.keys(fields).sort();
      const expected = ['edges', 'nodes', 'pageInfo', 'totalCount', ...(fields.totalCountSuppressed ? ['totalCountSuppressed'] : [])].sort();
      expect({ connection: c.name, shape }).toEqual({ connection: c.name, shape: expected });
      expect(String(fields.pageInfo.type)).toBe('PageInfo!');
      expect(String(fields.totalCount.type)).toBe(fields.totalCountSuppressed ? 'Int' : 'Int!');
      const edge = getNamedType(fields.edges.type);
      if (!isObjectType(edge)) throw new Error(`${c.name}.edges`);
      expect(Object.keys(edge.getFields()).sort()).toEqual(['cursor', 'node']);
    }
    const pageInfo = schema.getType('PageInfo');
    if (!isObjectType(pageInfo)) throw new Error('PageInfo is missing');
    expect(Object.keys(pageInfo.getFields()).sort()).toEqual(['endCursor', 'hasNextPage', 'hasPreviousPage', 'startCursor']);

    const query = schema.getQueryType()!;
    for (const field of Object.values(query.getFields())) {
      const returns = getNullableType(field.type);
      if (getNamedType(returns).name.endsWith('Connection')) {
        expect({ list: field.name, args: field.args.map((a) => a.name).sort() }).toEqual({ list: field.name, args: ['after', 'filter', 'first'] });
      } else if (isListType(returns)) {
        // The one kind of root list that is not a connection: measure series, one per code asked for.
        expect({ list: field.name, of: getNamedType(field.type).name }).toEqual({ list: field.name, of: 'MeasureSeries' });
      }
    }
  });

  it('gives every mutation one input argument and a payload', () => {
    for (const field of Object.values(schema.getMutationType()!.getFields())) {
      expect({ mutation: field.name, args: field.args.map((a) => `${a.name}: ${String(a.type)}`), returns: String(field.type) }).toEqual({
        mutation: field.name,
        args: [expect.stringMatching(/^input: \w+Input!$/)],
        returns: `${field.name[0].toUpperCase()}${field.name.slice(1)}Payload!`,
      });
    }
  });

  it('types counts and years as Int, and every date as Date or DateTime', () => {
    const wrong: string[] = [];
    for (const type of ownTypes(schema)) {
      if (!isObjectType(type) && !isInputObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        const named = getNamedType(field.type as GraphQLOutputType).name;
        if (/(^count$|Count$|^year$|^responded$)/.test(field.name) && named !== 'Int') wrong.push(`${type.name}.${field.name}: ${named}`);
        if (/Date$/.test(field.name) && named !== 'Date') wrong.push(`${type.name}.${field.name}: ${named}`);
        if (/At$/.test(field.name) && named !== 'DateTime') wrong.push(`${type.name}.${field.name}: ${named}`);
        if (/On$/.test(field.name) && ['Date', 'DateTime'].includes(named)) wrong.push(`${type.name}.${field.name}: a date ending On`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
