import { pageOfLoaded, type Connection } from '../../subgraphs/toolkit/connection';
import { cursorCodec } from '../../subgraphs/toolkit/cursor';

/** Rows as a DataLoader gives them for one parent: newest first, id settling ties. */
interface Update { recordedDate: string; id: string }
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ROWS: Update[] = [
  { recordedDate: '2026-03-01', id: id(1) },
  { recordedDate: '2026-02-01', id: id(2) },
  { recordedDate: '2026-02-01', id: id(3) },
  { recordedDate: '2026-01-15', id: id(4) },
  { recordedDate: '2025-12-01', id: id(5) },
];
const ORDER = [['recordedDate', 'desc'], ['id', 'asc']] as const;
const codec = cursorCodec('test.updates', ['date', 'uuid']);

describe('pageOfLoaded: a page of a list inside a record', () => {
  it('pages every row once, in order, with the total and page info of a root list', () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page: Connection<Update> = pageOfLoaded(ROWS, ORDER, codec, { first: 2, after });
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      expect(page.edges.map((e) => e.node)).toEqual(page.nodes);
      seen.push(...page.nodes.map((r) => r.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(ROWS.map((r) => r.id));
  });

  it('counts every row, not the page', async () => {
    expect(await pageOfLoaded(ROWS, ORDER, codec, { first: 2, after: null }).totalCount()).toBe(ROWS.length);
  });

  it('resumes after where a removed row stood, by its key', () => {
    const first = pageOfLoaded(ROWS, ORDER, codec, { first: 2, after: null });
    expect(first.nodes.map((r) => r.id)).toEqual([id(1), id(2)]);
    const withoutLast = ROWS.filter((r) => r.id !== id(2));
    const next = pageOfLoaded(withoutLast, ORDER, codec, { first: 2, after: first.pageInfo.endCursor });
    expect(next.nodes.map((r) => r.id)).toEqual([id(3), id(4)]);
  });

  it('refuses another list\'s cursor, naming after', () => {
    const other = cursorCodec('test.other', ['date', 'uuid']).encode(['2026-02-01', id(2)]);
    expect(() => pageOfLoaded(ROWS, ORDER, codec, { first: 2, after: other })).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' }) }));
  });
});
