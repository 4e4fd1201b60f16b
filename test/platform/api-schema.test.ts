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

/**
 * The arguments a root computation takes beside `filter`: its question (which
 * codes, over which periods, on which date), not which records it counts.
 */
const COMPUTATION_ARGUMENTS: Record<string, string[]> = {
  caseworkMeasures: ['codes', 'from', 'to', 'interval'],
  healthMeasures: ['codes', 'from', 'to', 'interval'],
  waitingList: ['asOf'],
  ehcPipelineForecast: ['asOf'],
};

/**
 * The lists inside a record that stay plain lists, because the record bounds
 * them (docs/api-conventions.md, "Lists"). Anything that grows for as long as
 * its record lives is a connection instead.
 */
const BOUNDED_LISTS: Record<string, string> = {
  // A child's own history: a handful over a childhood.
  'Child.requests': 'a child\'s requests for an EHC needs assessment',
  'Child.assessments': 'one per request',
  'Child.ehcPlans': 'one per assessment',
  'Child.workerAllocations': 'the child\'s caseworkers, one at a time',
  'Child.healthReferrals': 'a child\'s referrals to children\'s health services',
  'Child.spaceEnrolments': 'a family\'s SPACE courses',
  // What one record is made of.
  'EhcPlan.placements': 'the plan\'s settings',
  'EhcPlan.senNeeds': 'the plan\'s ranked needs',
  'EhcPlan.annualReviews': 'one a year while the plan lasts',
  'Meeting.focusTopics': 'the minutes of one meeting',
  'Meeting.attendance': 'one line per organisation at one meeting',
  'Meeting.discussion': 'the minutes of one meeting',
  'Meeting.decisions': 'the minutes of one meeting',
  'Meeting.actionsArising': 'the minutes of one meeting',
  'Review.findings': 'one stocktake\'s findings',
  'ReviewFinding.linkedActionReferences': 'the actions one finding names',
  'PriorityAction.milestones': 'an action\'s planned steps',
  'PriorityAction.kpis': 'the KPIs linked to one action',
  'Kpi.statisticalNeighbours': 'the KPI\'s chosen neighbours (about ten)',
  'Kpi.trajectory': 'one expected value per period of the plan',
  'SpaceCohort.enrolments': 'one cohort\'s families (a course\'s places)',
  'SpaceEnrolment.attendance': 'one family\'s planned sessions',
  'AuditEvent.roles': 'the caller\'s roles',
  'AuditEvent.fields': 'the fields one read returned',
  'AuditEvent.recordIds': 'the records of one type one request read: at most what the request limits let one request return',
  // Fixed sets and computed answers whose size the question fixes.
  'Kpi.comparators': 'the published comparators of the KPI\'s own and neighbouring areas for a year',
  'Kpi.yearOnYearChanges': 'at most three: the area\'s, England\'s and the region\'s change between two years',
  'WaitingList.bands': 'five bands of weeks waited',
  'EhcPipelineForecast.passingTwentyWeeks': 'the next 12 weeks',
  'EhcPipelineForecast.decisionsDue': 'the next two weeks',
  'EhcPipelineForecast.reviewsDue': 'the next four weeks',
  'MeasureSeries.points': 'one per period asked for',
  'CaseworkMeasure.series': 'one per period asked for',
  'HealthMeasure.series': 'one per period asked for',
  'ActionAssessment.reasons': 'the rule\'s reasons for one status',
  'ActionAssessment.kpis': 'the KPIs linked to one action',
  'ActionAssessment.milestones': 'an action\'s milestones, judged',
  'ActionSummary.reasons': 'the rule\'s reasons for one status',
  // The dashboard's summaries: one per KPI, area, status or theme, or capped; the full lists are the root connections.
  'AssuranceDashboard.kpiCards': 'one per KPI',
  'AssuranceDashboard.priorityActionPlan': 'one per area for priority action',
  'AssuranceDashboard.actionsNeedingAttention': 'at most the plan\'s actions',
  'AssuranceDashboard.overdueEscalations': 'the open escalations past due; the paged list is escalations(filter: { overdueAsOf })',
  'AssuranceDashboard.nextMeetings': 'at most five',
  'AssuranceDashboard.nextReviews': 'at most five',
  'AssuranceDashboard.familyVoiceThemes': 'one per theme',
  'AreaProgress.byStatus': 'one per status',
  'AreaProgress.actions': 'one area\'s actions',
};

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

  it('narrows every root list by one filter object, never by loose arguments', () => {
    const loose: string[] = [];
    for (const field of Object.values(schema.getQueryType()!.getFields())) {
      const returns = getNullableType(field.type);
      // A root list, or a computation over a population (a waiting list): what narrows it is a field of `filter`.
      if (!isListType(returns) && !getNamedType(returns).name.endsWith('Connection') && !(field.name in COMPUTATION_ARGUMENTS)) continue;
      const filter = field.args.find((a) => a.name === 'filter');
      if (!filter || !isInputObjectType(getNamedType(filter.type)) || !getNamedType(filter.type).name.endsWith('Filter')) loose.push(`${field.name}: no filter`);
      const allowed = new Set(['filter', 'first', 'after', ...(COMPUTATION_ARGUMENTS[field.name] ?? [])]);
      for (const arg of field.args) if (!allowed.has(arg.name)) loose.push(`${field.name}(${arg.name})`);
    }
    expect(loose).toEqual([]);
  });

  it('makes every list inside a record a connection, unless it is on the list of bounded ones', () => {
    const unbounded: string[] = [];
    const bounded = new Set<string>();
    for (const type of ownTypes(schema)) {
      if (!isObjectType(type) || ['Query', 'Mutation'].includes(type.name) || type.name.endsWith('Connection')) continue;
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        const returns = getNullableType(field.type);
        if (getNamedType(returns).name.endsWith('Connection')) {
          expect({ coordinate, args: field.args.map((a) => a.name).sort() }).toEqual({ coordinate, args: ['after', 'first'] });
        } else if (isListType(returns)) {
          if (coordinate in BOUNDED_LISTS) bounded.add(coordinate);
          else unbounded.push(coordinate);
        }
      }
    }
    expect(unbounded).toEqual([]);
    // The allowlist names fields that exist: a stale entry would hide a new list of the same name.
    expect(Object.keys(BOUNDED_LISTS).filter((c) => !bounded.has(c))).toEqual([]);
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
