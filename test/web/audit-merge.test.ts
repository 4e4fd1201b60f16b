import { parse } from 'csv-parse/sync';
import { auditCsv } from '../../web/audit/export';
import { AUDIT_SOURCES, decodeMergedCursor, encodeMergedCursor, mergeAuditPages, type AuditEntry, type AuditPage, type AuditSource, type MergedCursor } from '../../web/audit/merge';

/** Three trails of entries at made-up instants, newest first as the API gives them. */
function trails(): Record<AuditSource, AuditEntry[]> {
  const make = (source: AuditSource, minutes: number[]) =>
    minutes.map((m, i) => ({ id: String(minutes.length - i), source, occurredAt: new Date(Date.UTC(2026, 11, 5, 9, m)).toISOString(), userId: `u-${source}`, roles: ['auditor'], org: 'LA', operationName: 'Q', requestId: `r${m}`, action: 'READ', entityType: 'Child', entityId: i % 2 ? null : `c${m}`, recordIds: i % 2 ? [`c${m}`, `d${m}`] : [`c${m}`], fields: ['id', 'surname'] }))
      .sort((a, b) => (a.occurredAt < b.occurredAt ? 1 : -1));
  return { casework: make('casework', [1, 4, 5, 9, 12, 30]), health: make('health', [2, 5, 7]), governance: make('governance', [3, 8, 40, 41, 42]) };
}

/** A trail's page after a cursor, as the API pages it (cursor = the entry's id). */
function pageOf(trail: AuditEntry[], after: string | null | undefined, first: number): AuditPage {
  const start = after ? trail.findIndex((e) => e.id === after) + 1 : 0;
  const slice = trail.slice(start, start + first);
  return { edges: slice.map((node) => ({ cursor: node.id, node })), pageInfo: { hasNextPage: start + first < trail.length } };
}

describe('the three audit trails as one list', () => {
  it('pages through every entry once, newest first, whatever the page size', () => {
    const all = trails();
    const everything = AUDIT_SOURCES.flatMap((s) => all[s]).sort((a, b) => (a.occurredAt < b.occurredAt ? 1 : a.occurredAt > b.occurredAt ? -1 : a.source < b.source ? -1 : 1));
    for (const size of [1, 2, 3, 5, 50]) {
      const seen: AuditEntry[] = [];
      let cursor: MergedCursor | null = {};
      let pages = 0;
      while (cursor && pages++ < 100) {
        const from: MergedCursor = cursor;
        const fetched = Object.fromEntries(AUDIT_SOURCES.map((s) => [s, from[s] === 'end' ? null : pageOf(all[s], from[s], size)]));
        const { entries, next } = mergeAuditPages(fetched, from, size);
        seen.push(...entries);
        // The cursor survives the round trip through a URL.
        cursor = next && decodeMergedCursor(encodeMergedCursor(next));
      }
      expect({ size, ids: seen.map((e) => `${e.source}${e.id}`) }).toEqual({ size, ids: everything.map((e) => `${e.source}${e.id}`) });
    }
  });

  it('leaves out a trail the caller does not have, and refuses a made-up cursor', () => {
    const all = trails();
    const { entries, next } = mergeAuditPages({ casework: pageOf(all.casework, null, 10), health: null, governance: null }, {}, 10);
    expect(entries.map((e) => e.source)).toEqual(Array(6).fill('casework'));
    expect(next).toBeNull();
    expect(decodeMergedCursor('not-a-cursor')).toBeNull();
    expect(decodeMergedCursor(Buffer.from(JSON.stringify({ billing: 'x' })).toString('base64url'))).toBeNull();
  });

  it('exports entries as CSV with one row each', () => {
    const entries = trails().casework;
    const rows = parse(auditCsv(entries), { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(entries.length);
    expect(rows[0]).toMatchObject({ occurred_at: entries[0].occurredAt, source: 'casework', user_id: 'u-casework', entity_type: 'Child', entity_id: entries[0].entityId ?? '', record_ids: entries[0].recordIds.join(' '), fields: 'id surname', entry_id: entries[0].id });
    // A read of several records: no single entity_id, every record id listed; a read of one names it in both.
    const several = entries.findIndex((e) => e.recordIds.length > 1);
    const one = entries.findIndex((e) => e.recordIds.length === 1);
    expect(rows[several]).toMatchObject({ entity_id: '', record_ids: entries[several].recordIds.join(' ') });
    expect(rows[several].record_ids.split(' ')).toHaveLength(2);
    expect(rows[one]).toMatchObject({ entity_id: entries[one].entityId, record_ids: entries[one].entityId });
  });
});
