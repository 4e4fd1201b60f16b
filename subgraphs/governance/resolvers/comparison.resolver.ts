import { Arg, Authorized, Ctx, Directive, FieldResolver, ID, InputType, Field, Int, Query, Resolver, Root } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { checkFirst, connectionTypes, findPage, type Connection } from '../../toolkit/connection';
import type { SubgraphContext } from '../../toolkit/context';
import { cursorCodec } from '../../toolkit/cursor';
import type { MeasureFigure } from '../../toolkit/measures/figures';
import { ENGLAND_CODE, HOME_AREA, STATISTICAL_NEIGHBOURS } from '../area';
import { Kpi, PublishedComparator } from '../entities';
import { Organisation } from '../entities/enums';
import { REQUIRES_FIGURES, KpiReading } from '../entities/live';
import { IndicatorTopic, IndicatorUnit, PublishedIndicator, PublishedReconciliation, YearOnYearChange } from '../entities/published';
import { INDICATORS } from '../import/dfe-files';
import { reconcile, reconciliationRequest, type Reconciliation } from '../rules/comparison';
import { comparatorsFor, comparisonOf } from './comparators';
import { badInput, kpisById, type FigureRoot } from './support';

const MAX_INDICATOR_PAGE = 500;
const INDICATOR_CURSOR = cursorCodec('publishedIndicators', ['text', 'integer', 'text', 'text', 'uuid']);
const { Connection: PublishedIndicatorConnection } = connectionTypes(PublishedIndicator, 'PublishedIndicator', { plural: 'published indicators', order: 'by code, year, geographic level and area name' });

@Resolver(() => Kpi)
export class KpiComparisonResolver {
  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => [YearOnYearChange], { description: `For a count: ${HOME_AREA.name}'s change between DfE's latest two published years, beside England's and ${HOME_AREA.regionName}'s change over the same years (empty for a rate, or when DfE publishes nothing for the measure).` })
  async yearOnYearChanges(@Root() kpi: Kpi, @Arg('year', () => Int, { nullable: true, description: 'The latest year to take figures at; the latest published when left out.' }) year: number | null, @Ctx() context: SubgraphContext): Promise<YearOnYearChange[]> {
    return (await comparisonOf(kpi, year, context)).yearOnYearChanges as YearOnYearChange[];
  }

  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => String, { description: 'What the published comparators are, and are not, comparable with, in words: rates beside rates of the same period; a count beside the area\'s own published count and year-on-year changes; or that DfE publishes nothing comparable.' })
  async comparisonNote(@Root() kpi: Kpi, @Arg('year', () => Int, { nullable: true, description: 'The latest year to take figures at; the latest published when left out.' }) year: number | null, @Ctx() context: SubgraphContext): Promise<string> {
    return (await comparisonOf(kpi, year, context)).note;
  }
}

@Resolver(() => KpiReading)
export class KpiReadingReconciliationResolver {
  @Authorized(Access.GOVERNANCE_READ)
  @Directive(REQUIRES_FIGURES)
  @FieldResolver(() => PublishedReconciliation, { nullable: true, description: `${HOME_AREA.name}'s live figure for the period of DfE's latest published figure for it (on or before asOf's year), beside DfE's, with the difference; null when DfE publishes nothing for the measure. Given on a KPI's own reading (Kpi.reading).` })
  async publishedReconciliation(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<Reconciliation | null> {
    const kpi = await kpisById(context).load(root.id);
    if (!kpi) return null;
    const request = reconciliationRequest(kpi.measureCode);
    if (!request) return null;
    const figures: MeasureFigure[] | null | undefined = kpi.ownerOrganisation === Organisation.ICB ? root.healthFigures : root.caseworkFigures;
    const figure = (figures ?? []).find((f) => f.code === kpi.measureCode && f.interval === request.interval);
    const rows = await comparatorsFor(context).load(kpi.measureCode);
    return reconcile(kpi.measureCode, HOME_AREA, rows, figure?.points ?? [], Number(root.asOf.slice(0, 4)));
  }
}

@InputType({ description: 'Which published indicators to list; every condition given must hold.' })
class PublishedIndicatorFilter {
  @Field(() => IndicatorTopic, { nullable: true, description: 'Only this topic (placement type, primary need, ...).' })
  topic?: IndicatorTopic | null;

  @Field(() => [ID], { nullable: true, description: 'Only these indicator codes, e.g. PLANS_NEED_ASD.' })
  codes?: string[] | null;

  @Field(() => [String], { nullable: true, description: `Only these areas, each by ONS code, old LA code or exact name; England, ${HOME_AREA.regionName}, ${HOME_AREA.name} and its statistical neighbours when left out.` })
  areas?: string[] | null;

  @Field(() => [Int], { nullable: true, description: 'Only these years.' })
  years?: number[] | null;
}

const toIndicator = (r: PublishedComparator): PublishedIndicator => {
  const d = INDICATORS.get(r.measureCode)!;
  const total = r.denominator ?? null;
  return {
    id: r.id, code: r.measureCode, topic: d.topic as IndicatorTopic, label: d.label, unit: d.kind as IndicatorUnit, year: r.year, timePeriod: r.timePeriod,
    geographicLevel: r.geographicLevel, areaCode: r.areaCode, oldLaCode: r.oldLaCode ?? null, areaName: r.areaName, value: r.value ?? null, total,
    percentOfTotal: r.value != null && total ? Math.round((r.value / total) * 1000) / 10 : null, marker: r.marker ?? null, release: r.release ?? null, sourceFile: r.sourceFile,
  };
};

@Resolver()
export class PublishedIndicatorQueries {
  @Authorized(Access.GOVERNANCE_READ)
  @Query(() => PublishedIndicatorConnection, { description: `DfE's published breakdowns that no live measure computes (placement type, primary need, ceased reasons, mediation, tribunal, and totals such as new plans and assessments), for England, ${HOME_AREA.regionName}, ${HOME_AREA.name} and its statistical neighbours unless other areas are asked for.` })
  async publishedIndicators(
    @Arg('filter', () => PublishedIndicatorFilter, { nullable: true, description: 'Which indicators: topic, codes, areas, years.' }) filter: PublishedIndicatorFilter | null,
    @Arg('first', () => Int, { defaultValue: 100, description: `Page size, 1-${MAX_INDICATOR_PAGE}.` }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' }) after: string | null,
    @Ctx() context: SubgraphContext,
  ): Promise<Connection<PublishedIndicator>> {
    const unknown = (filter?.codes ?? []).filter((c) => !INDICATORS.has(c));
    if (unknown.length) throw badInput('filter.codes', `${unknown.map((c) => `"${c}"`).join(', ')} ${unknown.length === 1 ? 'is not an indicator code' : 'are not indicator codes'}. Codes: ${[...INDICATORS.keys()].join(', ')}.`);
    const codes = [...INDICATORS.values()].filter((d) => (!filter?.topic || d.topic === filter.topic) && (!filter?.codes?.length || filter.codes.includes(d.code))).map((d) => d.code);
    const areas = filter?.areas?.length ? filter.areas : null;
    const where: Record<string, unknown> = {
      measureCode: { $in: codes },
      $or: areas
        ? [{ areaCode: { $in: areas } }, { oldLaCode: { $in: areas } }, { areaName: { $in: areas } }]
        : [{ areaCode: { $in: [ENGLAND_CODE, HOME_AREA.regionCode, HOME_AREA.areaCode] } }, { oldLaCode: { $in: [...STATISTICAL_NEIGHBOURS] } }],
    };
    if (filter?.years?.length) where.year = { $in: filter.years };
    const page = await findPage(context.em, PublishedComparator, where, [['measureCode', 'asc'], ['year', 'asc'], ['geographicLevel', 'asc'], ['areaName', 'asc'], ['id', 'asc']], INDICATOR_CURSOR, { first: checkFirst(first, MAX_INDICATOR_PAGE), after });
    const edges = page.edges.map((e) => ({ cursor: e.cursor, node: toIndicator(e.node) }));
    return { ...page, edges, nodes: edges.map((e) => e.node) };
  }
}
