import { Arg, Authorized, Ctx, Field, InputType, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { checkFirst, connectionTypes, pageOfLoaded, type Connection } from '../../toolkit/connection';
import type { SubgraphContext } from '../../toolkit/context';
import { cursorCodec } from '../../toolkit/cursor';

/**
 * The districts the council's children live in: the values `district` takes in
 * CaseworkMeasureFilter and ChildFilter, so that a client offers a list to choose
 * from instead of a box to type a name into (a misspelt district counts nobody).
 */
@ObjectType({ description: 'A district of the county that at least one child on the council\'s records lives in.' })
export class District {
  @Field({ description: 'The district\'s name, as `district` filters take it, e.g. Mansfield.' })
  name!: string;
}

@InputType({ description: 'Which districts to list; every condition given must hold.' })
export class DistrictFilter {
  @Field(() => String, { nullable: true, description: 'Only the district with this name.' })
  name?: string | null;
}

export const { Connection: DistrictConnection } = connectionTypes(District, 'District', {
  plural: 'districts',
  order: 'by name',
  decorate: [Authorized(Access.CASEWORK_AGGREGATES)],
});

const districtCursor = cursorCodec('districts', ['text']);

@Resolver(() => District)
export class DistrictResolver {
  // Aggregate readers: a district's name says nothing about any child, and it is what they filter the measures by.
  @Authorized(Access.CASEWORK_AGGREGATES)
  @Query(() => DistrictConnection, { description: 'The districts the council\'s children live in, by name: the values the `district` filters take.' })
  async districts(
    @Arg('filter', () => DistrictFilter, { nullable: true, description: 'Which districts; all when left out.' }) filter: DistrictFilter | null,
    @Arg('first', () => Int, { defaultValue: 50, description: 'Page size, 1-100.' }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' }) after: string | null,
    @Ctx() context: SubgraphContext,
  ): Promise<Connection<District>> {
    checkFirst(first, 100);
    // A handful of names from the district index; paged in memory with the one cursor codec.
    const rows: Array<{ name: string }> = await context.em.getConnection().execute(
      'SELECT DISTINCT district AS name FROM child WHERE district IS NOT NULL AND (CAST(? AS text) IS NULL OR district = CAST(? AS text)) ORDER BY district',
      [filter?.name ?? null, filter?.name ?? null],
    );
    return pageOfLoaded(rows, [['name', 'asc']], districtCursor, { first, after });
  }
}
