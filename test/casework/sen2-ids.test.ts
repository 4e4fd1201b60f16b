import { timeOrderedId } from '../../subgraphs/casework/import/sen2-write/ids';

describe('the ids an import gives the rows it creates', () => {
  it('are version-7 UUIDs, each greater than the one before, none repeated', () => {
    const ids = Array.from({ length: 20000 }, () => timeOrderedId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // PostgreSQL orders uuids byte by byte, as these strings compare (lower-case hex, fixed width).
    for (let i = 1; i < ids.length; i++) expect(ids[i] > ids[i - 1]).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // The last 62 bits are random: unique on their own too, and every variant digit (8, 9, a, b) turns up.
    expect(new Set(ids.map((id) => id.slice(19))).size).toBe(ids.length);
    expect(new Set(ids.map((id) => id[19])).size).toBe(4);
  });

  it('begin with the time in milliseconds', () => {
    const before = Date.now();
    const id = timeOrderedId();
    const ms = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now() + 1000);
  });
});
