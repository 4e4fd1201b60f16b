import { Authorized, Ctx, Directive, Field, FieldResolver, ID, ObjectType, Resolver, Root } from 'type-graphql';
import { Access, type RoleName } from '../access';
import { measurePolicy } from '../disclosure';
import type { SubgraphContext } from '../context';
import { DateScalar } from '../date-scalar';
import { addDays } from '../dates';
import { Interval, type Period } from './periods';
import { lastCompletePeriod, measureSeries, showAsComputed, type MeasureCatalogue, type PointPolicy } from './series';
import { MeasurePoint } from './types';

/**
 * Live figures for governance without copying them: governance declares entity
 * types whose key names the measures it needs ("PLANS_ACTIVE:MONTH,..."), the
 * council's and the ICB's subgraphs each contribute the figures of their own codes
 * to those types, and governance computes RAG ratings, action statuses and the
 * dashboard from them with @requires. The gateway carries the figures; no
 * database but the owner's holds them. When an owner does not answer, the gateway
 * gives governance null for its figures, and governance rates that owner's KPIs
 * GREY, saying why, while the rest of the answer stands.
 *
 * The types governance computes from figures. Casework and health register all of
 * them with one call to createFigureContributions.
 */
export const FIGURE_CONSUMERS = ['KpiReading', 'ActionAssessment', 'AssuranceDashboard', 'PartnerBriefing'] as const;
export type FigureConsumer = (typeof FIGURE_CONSUMERS)[number];

export const FIGURE_KEY = 'id asOf caseworkMeasures healthMeasures';

/** How many whole periods, ending with the last one on or before asOf, a figure carries unless asked for more: enough for a trend. */
export const FIGURE_PERIODS = 6;
/**
 * The most periods a request may ask for ("CODE:INTERVAL:24"): governance asks
 * this many for a KPI that a milestone is measured by, so the milestone can find
 * the reading that first met it (two years of months, six of quarters).
 */
export const MAX_FIGURE_PERIODS = 24;

export const FIGURE_DESCRIPTIONS = {
  KpiReading: 'A KPI at a date: its live value from the owning organisation, rated against the partnership\'s trajectory.',
  ActionAssessment: 'A Priority Action Plan action\'s status at a date, by the written status rule, with the reasons.',
  AssuranceDashboard: 'The chief executives\' view of the partnership at a date: KPIs, the Priority Action Plan, escalations, meetings and family voice.',
  PartnerBriefing: 'A briefing for partners on a board meeting, as Markdown, with the live KPI values at the meeting date.',
  id: 'What this is about: a KPI, an action, or the whole partnership.',
  asOf: 'The date the figures are taken at: each figure\'s latest period is the last whole period ending on or before it.',
  caseworkMeasures: 'The council measures needed, as CODE:INTERVAL (or CODE:INTERVAL:PERIODS for more than the usual six periods) separated by commas.',
  healthMeasures: 'The ICB measures needed, as CODE:INTERVAL (or CODE:INTERVAL:PERIODS for more than the usual six periods) separated by commas.',
  caseworkFigures: 'Live council figures for caseworkMeasures, from the casework subgraph, with small-number suppression applied for the caller; null when the casework subgraph did not answer.',
  healthFigures: 'Live ICB figures for healthMeasures, from the health subgraph, with small-number suppression applied for the caller; null when the health subgraph did not answer.',
} as const;

@ObjectType('MeasureFigure', { description: 'One measure\'s latest whole periods up to a date, oldest first.' })
@Directive('@shareable')
// Plumbing between subgraphs (see the fields below): not part of the client-facing schema.
@Directive('@inaccessible')
export class MeasureFigure {
  @Field(() => ID, { description: 'The measure code.' })
  code!: string;

  @Field(() => Interval, { description: 'How the periods are cut.' })
  interval!: Interval;

  @Field({ description: 'False when the owning subgraph does not (yet) compute this code; points is then empty.' })
  available!: boolean;

  @Field(() => [MeasurePoint], { description: 'The periods, oldest first; the last is the latest whole period on or before asOf.' })
  points!: MeasurePoint[];
}

export interface MeasureRequest {
  code: string;
  interval: Interval;
  /** How many whole periods, FIGURE_PERIODS when not given, at most MAX_FIGURE_PERIODS. */
  periods?: number;
}

/** "PLANS_ACTIVE:MONTH,CYP_MH_ACCESS:QUARTER:24" → requests; an empty string is none. */
export function parseMeasureSpec(spec: string | null | undefined): MeasureRequest[] {
  if (!spec) return [];
  return spec.split(',').filter(Boolean).map((part) => {
    const [code, interval = 'MONTH', count] = part.split(':');
    if (!(interval in Interval)) throw new Error(`Unknown interval "${interval}" in measure request "${part}".`);
    const periods = count === undefined ? FIGURE_PERIODS : Number(count);
    if (!Number.isInteger(periods) || periods < 1 || periods > MAX_FIGURE_PERIODS) throw new Error(`The periods in measure request "${part}" must be a whole number from 1 to ${MAX_FIGURE_PERIODS}.`);
    return { code, interval: interval as Interval, periods };
  });
}

/** The canonical spec for a set of requests: sorted and de-duplicated, so equal needs make equal keys. */
export function formatMeasureSpec(requests: readonly MeasureRequest[]): string {
  return [...new Set(requests.map((r) => `${r.code}:${r.interval}${r.periods && r.periods !== FIGURE_PERIODS ? `:${r.periods}` : ''}`))].sort().join(',');
}

/** The FIGURE_PERIODS whole periods ending with the last one on or before asOf. */
export function figurePeriods(asOf: string, interval: Interval, count = FIGURE_PERIODS): Period[] {
  const periods: Period[] = [lastCompletePeriod(asOf, interval)];
  while (periods.length < count) periods.unshift(lastCompletePeriod(addDays(periods[0].start, -1), interval));
  return periods;
}

export interface FigureContributionOptions {
  owner: 'casework' | 'health';
  catalogue: MeasureCatalogue;
  access: readonly RoleName[];
  policy?: (context: SubgraphContext) => PointPolicy;
}

interface FigureRoot {
  asOf: string;
  caseworkMeasures?: string;
  healthMeasures?: string;
}

/**
 * What casework or health registers so governance's figure consumers get its
 * figures: the consumer types (key fields plus this owner's figures field), their
 * resolvers, and reference resolvers. Every figure in a request is computed in one
 * SQL statement per distinct (asOf, interval), however many entities ask.
 */
export function createFigureContributions(options: FigureContributionOptions) {
  const fieldName = options.owner === 'casework' ? 'caseworkFigures' : 'healthFigures';
  const specOf = (root: FigureRoot) => (options.owner === 'casework' ? root.caseworkMeasures : root.healthMeasures);

  const load = (context: SubgraphContext) =>
    context.loaders.get<string, MeasureFigure>(`figures:${options.owner}`, async (keys) => {
      // One statement per (asOf, interval), over the most periods any request in it asks for;
      // each request gets its own last few.
      const groups = new Map<string, { asOf: string; interval: Interval; count: number; codes: Set<string>; counts: Set<number> }>();
      for (const key of keys) {
        const [asOf, interval, code, count] = key.split('|');
        const g = groups.get(`${asOf}|${interval}`) ?? { asOf, interval: interval as Interval, count: 0, codes: new Set<string>(), counts: new Set<number>() };
        if (options.catalogue.has(code)) g.codes.add(code);
        g.count = Math.max(g.count, Number(count));
        g.counts.add(Number(count));
        groups.set(`${asOf}|${interval}`, g);
      }
      const byKey = new Map<string, MeasureFigure>();
      const policy = (options.policy ?? (() => showAsComputed))(context);
      for (const g of groups.values()) {
        if (g.codes.size === 0) continue;
        const periods = figurePeriods(g.asOf, g.interval, g.count);
        const series = await measureSeries(context.em, options.catalogue, { codes: [...g.codes], from: periods[0].start, to: periods[periods.length - 1].end, interval: g.interval }, policy);
        for (const s of series) for (const count of g.counts) byKey.set(`${g.asOf}|${g.interval}|${s.code}|${count}`, { code: s.code, interval: g.interval, available: true, points: s.points.slice(-count) });
      }
      return keys.map((key) => {
        const [, interval, code] = key.split('|');
        return byKey.get(key) ?? { code, interval: interval as Interval, available: false, points: [] };
      });
    });

  const types: Function[] = [];
  const resolvers: Function[] = [];
  const referenceResolvers: Record<string, (reference: Record<string, unknown>) => unknown> = {};
  for (const typeName of FIGURE_CONSUMERS) {
    @ObjectType(typeName, { description: FIGURE_DESCRIPTIONS[typeName] })
    @Directive(`@key(fields: "${FIGURE_KEY}")`)
    @Authorized(options.access)
    class Consumer {
      @Field(() => ID, { description: FIGURE_DESCRIPTIONS.id })
      id!: string;

      @Field(() => DateScalar, { description: FIGURE_DESCRIPTIONS.asOf })
      asOf!: string;

      // The key's measure specs and the figures exist so that governance can ask casework and
      // health for them (@requires); clients read the computed values, so these are hidden.
      @Field({ description: FIGURE_DESCRIPTIONS.caseworkMeasures })
      @Directive('@inaccessible')
      caseworkMeasures!: string;

      @Field({ description: FIGURE_DESCRIPTIONS.healthMeasures })
      @Directive('@inaccessible')
      healthMeasures!: string;
    }

    @Resolver(() => Consumer)
    class ConsumerResolver {
      @Authorized(options.access)
      // Nullable so that when this subgraph does not answer, the gateway can put null here and
      // governance still computes everything else, reading this owner's KPIs as unavailable.
      @FieldResolver(() => [MeasureFigure], { name: fieldName, nullable: true, description: FIGURE_DESCRIPTIONS[fieldName] })
      @Directive('@inaccessible')
      async figures(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<MeasureFigure[]> {
        const requests = parseMeasureSpec(specOf(root));
        if (requests.length === 0) return [];
        const figures = await load(context).loadMany(requests.map((r) => `${root.asOf}|${r.interval}|${r.code}|${r.periods ?? FIGURE_PERIODS}`));
        return figures.map((f) => {
          if (f instanceof Error) throw f;
          return f;
        });
      }
    }
    types.push(Consumer);
    resolvers.push(ConsumerResolver);
    referenceResolvers[typeName] = (reference) => reference;
  }
  return { orphanedTypes: types, resolvers, referenceResolvers };
}

/**
 * The one call casework and health make: their figure contributions with the
 * aggregate access rule and the disclosure policy of their own data.
 */
export function figureContributionsFor(owner: 'casework' | 'health', catalogue: MeasureCatalogue) {
  return createFigureContributions({
    owner,
    catalogue,
    access: owner === 'casework' ? Access.CASEWORK_AGGREGATES : Access.HEALTH_AGGREGATES,
    policy: (context) => measurePolicy(context, owner),
  });
}
