import type { EntityManager, EntityName, FilterQuery } from '@mikro-orm/core';
import { Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { badUserInput } from '../../platform/problems';
import type { CursorCodec, CursorKey, KeyPart } from './cursor';
import type { Disclosed } from './suppression';

/**
 * Every list that can grow is a Relay connection of one shape (docs/api-conventions.md):
 * `edges { cursor node }`, `nodes`, `pageInfo`, `totalCount`, and
 * `totalCountSuppressed` where small-number suppression applies. The types come
 * from `connectionTypes`, the pages from `connectionOf`, and the cursors from the
 * one codec in cursor.ts, so no list can drift from the others.
 */

@ObjectType({ description: 'Where a page of a list sits: whether there are pages either side, and the cursors of its first and last items.' })
@Directive('@shareable')
export class PageInfo {
  @Field({ description: 'True when more items follow this page; ask again with `after: endCursor`.' })
  hasNextPage!: boolean;

  @Field({ description: 'True when items come before this page: the page was asked for with `after`. Lists page forwards only.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'The cursor of the first item on this page; null on an empty page.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'The cursor of the last item on this page: pass it as `after` for the next page. Null on an empty page.' })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Array<Edge<T>>;
  nodes: T[];
  pageInfo: PageInfo;
  /** Resolved only when the caller asks (counting can cost more than the page). */
  totalCount: () => Promise<number | null>;
  totalCountSuppressed?: () => Promise<boolean>;
}

/** A total: a count, or a count disclosed under small-number suppression; or the promise of one, counted on first ask. */
export type Total = number | Disclosed | (() => Promise<number | Disclosed>);

export interface ConnectionOptions {
  /** What one item is, in the plural ("children"), for the descriptions. */
  plural: string;
  /** The list's order, for the connection's description ("in surname, forename order"). */
  order: string;
  /** True for a list of people whose total is withheld when small (1-7): totalCount is then nullable, with totalCountSuppressed. */
  suppressible?: boolean;
  /** True when more than one subgraph declares the types (the audit trail). */
  shareable?: boolean;
  /** Decorators (e.g. @Authorized) the connection and edge types carry. */
  decorate?: ClassDecorator[];
}

/** `<Node>Connection` and `<Node>Edge` for one kind of node. */
export function connectionTypes<T extends object>(Node: ClassType<T>, name: string, options: ConnectionOptions): { Connection: ClassType<Connection<T>>; Edge: ClassType<Edge<T>> } {
  const extra = [...(options.shareable ? [Directive('@shareable')] : []), ...(options.decorate ?? [])];

  @ObjectType(`${name}Edge`, { description: `One of the ${options.plural} on a page, with its cursor.` })
  class EdgeType {
    @Field({ description: 'Pass as `after` to continue after this item.' })
    cursor!: string;

    @Field(() => Node, { description: 'The item.' })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${options.plural}, ${options.order}.` })
  class ConnectionType {
    @Field(() => [EdgeType], { description: `The ${options.plural} on this page, each with its cursor.` })
    edges!: Array<Edge<T>>;

    @Field(() => [Node], { description: `The ${options.plural} on this page (the nodes of edges).` })
    nodes!: T[];

    @Field(() => PageInfo, { description: 'Whether more pages follow, and the cursors to ask for them.' })
    pageInfo!: PageInfo;

    totalCount!: () => Promise<number | null>;
    totalCountSuppressed?: () => Promise<boolean>;
  }
  // simple: graphql-js's own resolver, which calls the function-valued totals (see totals()).
  if (options.suppressible) {
    Field(() => Int, { nullable: true, simple: true, description: `How many ${options.plural} match the filter, across all pages; null when withheld to protect small numbers (see totalCountSuppressed).` })(ConnectionType.prototype, 'totalCount');
    Field(() => Boolean, { simple: true, description: 'True when totalCount was withheld because it is small (1-7).' })(ConnectionType.prototype, 'totalCountSuppressed');
  } else {
    Field(() => Int, { simple: true, description: `How many ${options.plural} match the filter, across all pages.` })(ConnectionType.prototype, 'totalCount');
  }
  for (const decorator of extra) {
    decorator(EdgeType);
    decorator(ConnectionType);
  }
  return { Connection: ConnectionType, Edge: EdgeType };
}

/** The page size asked for, or BAD_USER_INPUT naming `first`. */
export function checkFirst(first: number, max: number): number {
  if (!Number.isInteger(first) || first < 1 || first > max) throw badUserInput([{ field: 'first', message: `first: must be between 1 and ${max}; got ${first}.` }]);
  return first;
}

/**
 * A page from rows fetched with `limit: first + 1` after the cursor: the extra row
 * only tells whether another page follows. `total` is the count of every row the
 * filter matches; a Disclosed total (value null when withheld) makes the
 * connection suppressible.
 */
export function connectionOf<T, R = T>(
  rows: R[],
  page: { first: number; after: string | null | undefined },
  cursorOf: (row: R) => string,
  total: Total,
  nodeOf: (row: R) => T = (row) => row as unknown as T,
): Connection<T> {
  const shown = rows.slice(0, page.first);
  const edges = shown.map((row) => ({ cursor: cursorOf(row), node: nodeOf(row) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: rows.length > page.first,
      hasPreviousPage: Boolean(page.after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    ...totals(total),
  };
}

/**
 * The total as field resolvers (graphql-js calls a function-valued property), so
 * the count runs once, and only for a query that selects it.
 */
function totals(total: Total): Pick<Connection<unknown>, 'totalCount' | 'totalCountSuppressed'> {
  let counted: Promise<number | Disclosed> | undefined;
  const count = () => (counted ??= typeof total === 'function' ? total() : Promise.resolve(total));
  return {
    totalCount: async () => {
      const t = await count();
      return typeof t === 'number' ? t : t.value;
    },
    totalCountSuppressed: async () => {
      const t = await count();
      return typeof t === 'number' ? false : t.suppressed;
    },
  };
}

type Order = 'asc' | 'desc';

/**
 * One keyset page of an entity, by MikroORM: the rows of `where` in `order` (whose
 * last key must be unique, usually the id) after the cursor, and the total. The
 * cursor holds the order's values of the last row, as strings, parts checked by
 * the codec.
 */
export async function findPage<T extends object, P extends readonly KeyPart[]>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  order: ReadonlyArray<readonly [keyof T & string, Order]>,
  codec: CursorCodec<P>,
  page: { first: number; after: string | null | undefined },
): Promise<Connection<T>> {
  const keyOf = (row: T) => order.map(([field]) => keyString((row as Record<string, unknown>)[field])) as unknown as CursorKey<P>;
  let pageWhere = where;
  if (page.after) {
    const key = codec.decode(page.after) as unknown as string[];
    // (a, b, c) after (x, y, z): a beyond x, or a = x and b beyond y, or ...
    const or = order.map((_, i) => {
      const clause: Record<string, unknown> = {};
      for (let j = 0; j < i; j++) clause[order[j][0]] = key[j];
      clause[order[i][0]] = { [order[i][1] === 'asc' ? '$gt' : '$lt']: key[i] };
      return clause;
    });
    pageWhere = { $and: [where, { $or: or }] } as FilterQuery<T>;
  }
  const orderBy = Object.fromEntries(order.map(([field, dir]) => [field, dir]));
  const rows = await em.find(entity, pageWhere, { orderBy: orderBy as never, limit: page.first + 1 });
  return connectionOf(rows as T[], page, (row) => codec.encode(keyOf(row)), () => em.count(entity, where));
}

/** A sort value as the cursor holds it. */
function keyString(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (value && typeof value === 'object' && 'id' in value) return String((value as { id: unknown }).id);
  return String(value);
}

/**
 * A page of a list that belongs to one record (a body's meetings, a team's
 * caseworkers), from the rows a DataLoader fetched in `order` for every parent in
 * the request at once: one statement however many parents, paged here with the
 * same cursor codec and shape as a root list. The order's last key must be unique
 * (the id); the page starts after the row the cursor names, or, if that row has
 * gone since, after the last row whose key sorts before it.
 */
export function pageOfLoaded<T extends object, P extends readonly KeyPart[]>(
  rows: readonly T[],
  order: ReadonlyArray<readonly [keyof T & string, Order]>,
  codec: CursorCodec<P>,
  page: { first: number; after: string | null | undefined },
): Connection<T> {
  const keyOf = (row: T) => order.map(([field]) => keyString((row as Record<string, unknown>)[field]));
  let start = 0;
  if (page.after) {
    const key = codec.decode(page.after) as unknown as string[];
    const at = rows.findIndex((row) => keyOf(row).at(-1) === key.at(-1));
    start = at >= 0 ? at + 1 : rows.findIndex((row) => sortsAfter(keyOf(row), key, order.map(([, dir]) => dir)));
    if (start < 0) start = rows.length;
  }
  return connectionOf(rows.slice(start, start + page.first + 1), page, (row) => codec.encode(keyOf(row) as unknown as CursorKey<P>), rows.length);
}

/** Whether key a comes after key b in an order (parts compared as strings: ISO dates, ids and names). */
function sortsAfter(a: readonly string[], b: readonly string[], order: readonly Order[]): boolean {
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    return order[i] === 'asc' ? a[i] > b[i] : a[i] < b[i];
  }
  return false;
}
