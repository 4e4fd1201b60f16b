/**
 * The audit trail as one list, newest first, although each data controller
 * keeps its own (casework, health, governance: three connections in the API).
 * A page of the merged list is made from a page of each, and its cursor holds
 * each trail's own cursor at the last entry shown from it, so the next page
 * continues every trail exactly where it left off: no entry twice, none skipped.
 *
 * Pure: the pages come from the API (caseworkAuditEvents, healthAuditEvents,
 * governanceAuditEvents), each asked for with the same filter.
 */

export const AUDIT_SOURCES = ['casework', 'health', 'governance'] as const;
export type AuditSource = (typeof AUDIT_SOURCES)[number];

export interface AuditEntry {
  id: string;
  source: string;
  occurredAt: string;
  userId: string;
  roles: string[];
  org: string;
  operationName: string | null;
  requestId: string | null;
  action: string;
  entityType: string;
  /** The record when the entry covers one; null for a read of several (recordIds lists them). */
  entityId: string | null;
  recordIds: string[];
  fields: string[];
}

export interface AuditPage {
  edges: Array<{ cursor: string; node: AuditEntry }>;
  pageInfo: { hasNextPage: boolean };
}

/** Where each trail stands: its `after` cursor (null: from its newest entry; 'end': nothing more). */
export type MergedCursor = Partial<Record<AuditSource, string | null>>;

export function encodeMergedCursor(cursor: MergedCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** The cursor, or null when it is not one this page gave out (the page then starts from the newest). */
export function decodeMergedCursor(text: string | undefined | null): MergedCursor | null {
  if (!text) return null;
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
    for (const [k, v] of Object.entries(value)) if (!(AUDIT_SOURCES as readonly string[]).includes(k) || (v !== null && typeof v !== 'string')) return null;
    return value as MergedCursor;
  } catch {
    return null;
  }
}

/** Newest first; at the same instant, by trail then by entry number, so the order is total. */
function newerFirst(a: AuditEntry, b: AuditEntry): number {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt > b.occurredAt ? -1 : 1;
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  return Number(b.id) - Number(a.id);
}

/**
 * The newest `size` entries of the trails' pages together (each page asked for
 * with first >= size after the trail's cursor), and the cursor to continue from.
 * A trail whose page was not fetched (the caller may not read it, or it was at
 * its end) is given as null.
 */
export function mergeAuditPages(pages: Partial<Record<AuditSource, AuditPage | null>>, from: MergedCursor, size: number): { entries: AuditEntry[]; next: MergedCursor | null } {
  // A k-way merge of the trails' heads: each trail keeps its own order (by entry number), so what is shown
  // from a trail is always the start of its page and its cursor can stand at the last one shown.
  const heads = Object.fromEntries(AUDIT_SOURCES.map((s) => [s, 0])) as Record<AuditSource, number>;
  const shown: Array<{ source: AuditSource; cursor: string; node: AuditEntry }> = [];
  while (shown.length < size) {
    let best: AuditSource | null = null;
    for (const source of AUDIT_SOURCES) {
      const edge = pages[source]?.edges[heads[source]];
      if (edge && (!best || newerFirst(edge.node, pages[best]!.edges[heads[best]].node) < 0)) best = source;
    }
    if (!best) break;
    const edge = pages[best]!.edges[heads[best]++];
    shown.push({ source: best, cursor: edge.cursor, node: edge.node });
  }
  const next: MergedCursor = {};
  let more = false;
  for (const source of AUDIT_SOURCES) {
    const page = pages[source];
    if (!page || from[source] === 'end') {
      next[source] = 'end';
      continue;
    }
    const last = shown.filter((s) => s.source === source).at(-1);
    const unshown = page.edges.length > shown.filter((s) => s.source === source).length;
    next[source] = last ? last.cursor : from[source] ?? null;
    if (!unshown && !page.pageInfo.hasNextPage) next[source] = 'end';
    else more = true;
  }
  return { entries: shown.map((s) => s.node), next: more ? next : null };
}
