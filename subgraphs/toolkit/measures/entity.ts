import { Arg, Authorized, Ctx, Directive, Field, FieldResolver, ID, InputType, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { RoleName } from '../access';
import { checkFirst, connectionTypes, pageOfLoaded, type Connection } from '../connection';
import type { SubgraphContext } from '../context';
import { cursorCodec } from '../cursor';
import { DateScalar } from '../date-scalar';
import { Interval } from './periods';
import { lastCompletePeriod, measureSeries, showAsComputed, type MeasureCatalogue, type PointPolicy } from './series';
import { MeasurePoint } from './types';

export interface MeasureEntityOptions {
  /** GraphQL type name, e.g. CaseworkMeasure. */
  typeName: string;
  description: string;
  catalogue: MeasureCatalogue;
  /** Who may read the measure's figures (an Access rule). */
  access: readonly RoleName[];
  /** Disclosure control for the caller; defaults to figures as computed. */
  policy?: (context: SubgraphContext) => PointPolicy;
  /** The root list of the catalogue, e.g. caseworkMeasureCatalogue: what a client offers to choose from. */
  catalogueQuery: string;
  /** What the catalogue holds, in words, for its description ("the council's casework measures"). */
  catalogueWhat: string;
}

export interface MeasureEntityShape {
  code: string;
  name: string;
  unit: string;
  description: string;
}

/**
 * Makes a federated entity for one subgraph's measures, keyed by code, so that
 * another subgraph (governance's KPIs) can point at a measure by code and the
 * gateway fetches its figures from the subgraph that owns the data.
 */
export function createMeasureEntity(options: MeasureEntityOptions) {
  @ObjectType(options.typeName, { description: options.description })
  @Directive('@key(fields: "code")')
  @Authorized(options.access)
  class MeasureEntity implements MeasureEntityShape {
    @Field(() => ID, { description: 'The measure code.' })
    code!: string;

    @Field({ description: 'What the measure is, in words.' })
    name!: string;

    @Field({ description: 'COUNT, PERCENT, WEEKS or SCORE.' })
    unit!: string;

    @Field({ description: 'How it is counted: what is included and excluded.' })
    description!: string;
  }

  const toShape = (code: string): MeasureEntityShape => {
    const d = options.catalogue.get(code);
    return { code: d.code, name: d.name, unit: d.unit, description: d.description };
  };

  @Resolver(() => MeasureEntity)
  class MeasureEntityResolver {
    @Authorized(options.access)
    @FieldResolver(() => [MeasurePoint], { description: 'The measure for each period from `from` to `to`, across the whole area.' })
    async series(
      @Root() measure: MeasureEntityShape,
      @Arg('from', () => DateScalar, { description: 'A date in the first period.' }) from: string,
      @Arg('to', () => DateScalar, { description: 'A date in the last period.' }) to: string,
      @Arg('interval', () => Interval, { defaultValue: Interval.MONTH, description: 'How the periods are cut.' }) interval: Interval,
      @Ctx() context: SubgraphContext,
    ): Promise<MeasurePoint[]> {
      const [series] = await measureSeries(context.em, options.catalogue, { codes: [measure.code], from, to, interval }, (options.policy ?? (() => showAsComputed))(context));
      return series.points;
    }

    @Authorized(options.access)
    @FieldResolver(() => MeasurePoint, { description: 'The measure for the last whole period ending on or before `asOf`.' })
    async latest(
      @Root() measure: MeasureEntityShape,
      @Arg('asOf', () => DateScalar, { description: 'The latest whole period ending on or before this date is given.' }) asOf: string,
      @Arg('interval', () => Interval, { defaultValue: Interval.MONTH, description: 'How the periods are cut.' }) interval: Interval,
      @Ctx() context: SubgraphContext,
    ): Promise<MeasurePoint> {
      const period = lastCompletePeriod(asOf, interval);
      const [series] = await measureSeries(context.em, options.catalogue, { codes: [measure.code], from: period.start, to: period.end, interval }, (options.policy ?? (() => showAsComputed))(context));
      return series.points[0];
    }
  }

  @InputType(`${options.typeName}CatalogueFilter`, { description: 'Which measures to list; every condition given must hold.' })
  class CatalogueFilter {
    @Field(() => String, { nullable: true, description: 'Only measures in this unit: COUNT, PERCENT, WEEKS or SCORE.' })
    unit?: string | null;
  }

  const { Connection: CatalogueConnection } = connectionTypes(MeasureEntity, options.typeName, {
    plural: 'measures',
    order: 'by code',
    decorate: [Authorized(options.access)],
  });
  const catalogueCursor = cursorCodec(options.catalogueQuery, ['text']);

  @Resolver()
  class MeasureCatalogueResolver {
    @Authorized(options.access)
    @Query(() => CatalogueConnection, { name: options.catalogueQuery, description: `The catalogue of ${options.catalogueWhat}, by code: the codes a series can be asked for, each with its name, unit and how it is counted.` })
    catalogue(
      @Arg('filter', () => CatalogueFilter, { nullable: true, description: 'Which measures; all when left out.' }) filter: CatalogueFilter | null,
      @Arg('first', () => Int, { defaultValue: 50, description: 'Page size, 1-100.' }) first: number,
      @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' }) after: string | null,
    ): Connection<MeasureEntityShape> {
      checkFirst(first, 100);
      const rows = options.catalogue.definitions
        .filter((d) => !filter?.unit || d.unit === filter.unit)
        .map((d) => toShape(d.code))
        .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
      return pageOfLoaded(rows, [['code', 'asc']], catalogueCursor, { first, after });
    }
  }

  const resolveReference = (reference: Record<string, unknown>) => toShape(String(reference.code));
  return { MeasureEntity, MeasureEntityResolver, MeasureCatalogueResolver, resolveReference };
}

