import { createHash } from 'node:crypto';

/**
 * Checks one database's audit trail against its hash chain (the audit-chain
 * migration): the structure that protects it; then every link of the chain in
 * order (one per committed transaction that appended), each entry's hash as
 * recorded against the entry itself, and each link's hash against the one
 * before it; then the head, and that every entry is in a sealed link. Reports
 * the first broken link by row id and chain position and what is wrong with it,
 * never a row's contents.
 *
 * It works each entry's hash out afresh from the entry with its own copy of the
 * canonical form (below), so a function replaced in the database cannot vouch for
 * an altered entry.
 */

/** Runs SQL with $1-style parameters and returns the rows. */
export type ChainQuery = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

export interface ChainAnchor {
  /** A chain position published earlier, and the hash the chain held there. */
  position: string;
  hash: string;
}

export interface ChainBreak {
  /** The audit_event id of the entry at fault, when there is one. */
  rowId: string | null;
  /** The position of the link at fault in the chain, when it has one. */
  position: string | null;
  problem: string;
}

export interface ChainReport {
  /** Entries found intact, in chain order. */
  entries: number;
  /** The last position and hash, to publish (and pass back as an anchor later). */
  head: { position: string; hash: string } | null;
  broken: ChainBreak | null;
}

export interface VerifyOptions {
  /** The role that should own the trail (`<db>_audit`). */
  auditRole: string;
  /** The runtime login, which must not be able to write to the trail but through append_audit_events. */
  appRole: string;
  anchor?: ChainAnchor;
  batchSize?: number;
}

/** The genesis hash: the chain's "previous hash" for its first link. */
export const GENESIS = Buffer.alloc(32);

/**
 * Keep in step with the migrations' canonical form (the tests check they agree):
 * an entry without record ids as the audit-chain migration hashed it; one with
 * record ids (a request's reads of several records) with them as a twelfth element.
 */
const COLUMNS = `e.id, pg_catalog.extract('epoch', e.occurred_at), e.user_id, e.roles, e.org, e.operation_name, e.request_id, e.action, e.entity_type, e.entity_id, e.fields`;
const DIGEST = `pg_catalog.sha256(pg_catalog.convert_to(CASE WHEN e.record_ids IS NULL THEN pg_catalog.json_build_array(${COLUMNS}) ELSE pg_catalog.json_build_array(${COLUMNS}, e.record_ids) END::text, 'UTF8'))`;

const TRIGGERS: Record<string, string[]> = {
  audit_event: ['audit_event_no_update', 'audit_event_no_truncate'],
  audit_chain_entry: ['audit_chain_entry_no_update', 'audit_chain_entry_no_truncate', 'audit_chain_seal'],
  audit_chain: ['audit_chain_no_update', 'audit_chain_no_truncate'],
  audit_chain_head: ['audit_chain_head_kept', 'audit_chain_head_no_truncate'],
};

async function structureProblem(query: ChainQuery, options: VerifyOptions): Promise<string | null> {
  const tables = Object.keys(TRIGGERS);
  const owners = await query<{ name: string; owner: string | null }>(
    `SELECT t.name, (SELECT pg_catalog.pg_get_userbyid(c.relowner) FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass('public.' || t.name)) AS owner
     FROM unnest($1::text[]) AS t(name)`,
    [tables],
  );
  for (const t of owners) {
    if (t.owner === null) return `table ${t.name} is missing: the trail or its chain was dropped`;
    if (t.owner !== options.auditRole) return `table ${t.name} is owned by ${t.owner}, not ${options.auditRole}: it was re-created, or the trail was never sealed`;
  }
  const triggers = await query<{ table: string; name: string; enabled: string }>(
    `SELECT c.relname AS table, t.tgname AS name, t.tgenabled AS enabled FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname = ANY ($1)`,
    [tables],
  );
  for (const [table, names] of Object.entries(TRIGGERS)) {
    for (const name of names) {
      const t = triggers.find((x) => x.table === table && x.name === name);
      if (!t) return `trigger ${name} on ${table} is missing`;
      if (t.enabled !== 'O' && t.enabled !== 'A') return `trigger ${name} on ${table} is disabled`;
    }
  }
  const [fn]: Array<{ owner: string; definer: boolean } | undefined> = await query<{ owner: string; definer: boolean }>(
    `SELECT pg_catalog.pg_get_userbyid(p.proowner) AS owner, p.prosecdef AS definer FROM pg_catalog.pg_proc p
     WHERE p.oid = pg_catalog.to_regprocedure('public.append_audit_events(json)')`,
  );
  if (!fn) return 'function append_audit_events(json) is missing';
  if (fn.owner !== options.auditRole || !fn.definer) return `function append_audit_events(json) is not the audit role's SECURITY DEFINER function (owner ${fn.owner})`;
  const [grants] = await query<{ writes: boolean }>(
    `SELECT bool_or(pg_catalog.has_table_privilege($1, 'public.' || t, p)) AS writes
     FROM unnest($2::text[]) AS t, unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS p`,
    [options.appRole, tables],
  );
  if (grants.writes) return `the runtime login ${options.appRole} may write to the trail directly`;
  return null;
}

/** Verifies the chain; run it inside one REPEATABLE READ transaction so concurrent appends cannot look like breaks. */
export async function verifyAuditChain(query: ChainQuery, options: VerifyOptions): Promise<ChainReport> {
  const structure = await structureProblem(query, options);
  if (structure) return { entries: 0, head: null, broken: { rowId: null, position: null, problem: structure } };

  const batchSize = options.batchSize ?? 1000;
  const anchor = options.anchor ? { position: BigInt(options.anchor.position), hash: options.anchor.hash.toLowerCase() } : null;
  let expected = 1n;
  let running: Buffer = GENESIS;
  let entries = 0;
  const broken = (rowId: string | null, position: bigint | null, problem: string): ChainReport => ({
    entries,
    head: null,
    broken: { rowId, position: position === null ? null : position.toString(), problem },
  });
  for (;;) {
    const links = await query<{ position: string; link_id: string; entries: number; prev_hash: Buffer; hash: Buffer }>(
      `SELECT c.position::text AS position, c.link_id::text AS link_id, c.entries, c.prev_hash, c.hash FROM public.audit_chain c WHERE c.position >= $1 ORDER BY c.position LIMIT $2`,
      [expected.toString(), batchSize],
    );
    if (links.length === 0) break;
    // Every entry of these links, with its hash as recorded and as worked out afresh from the row.
    const rows = await query<{ link_id: string; event_id: string; recorded: Buffer; missing: boolean; actual: Buffer }>(
      `SELECT x.link_id::text, x.event_id::text, x.digest AS recorded, e.id IS NULL AS missing, ${DIGEST} AS actual
       FROM public.audit_chain_entry x LEFT JOIN public.audit_event e ON e.id = x.event_id
       WHERE x.link_id = ANY ($1::bigint[]) ORDER BY x.link_id, x.event_id`,
      [links.map((l) => l.link_id)],
    );
    const byLink = new Map<string, typeof rows>();
    for (const r of rows) {
      const list = byLink.get(r.link_id) ?? [];
      list.push(r);
      byLink.set(r.link_id, list);
    }
    for (const link of links) {
      const position = BigInt(link.position);
      if (position !== expected) return broken(null, expected, `chain position ${expected} is missing (the chain goes on at ${position}): a link was removed with its entries`);
      if (!link.prev_hash.equals(running)) return broken(null, position, 'the link does not follow the one before it: links before it were removed, inserted or reordered');
      const own = byLink.get(link.link_id) ?? [];
      for (const r of own) {
        if (r.missing) return broken(r.event_id, position, 'the row is gone: it was deleted');
        if (!r.actual.equals(r.recorded)) return broken(r.event_id, position, 'the row does not match its hash: it was changed after it was recorded');
      }
      const content = createHash('sha256');
      for (const r of own) content.update(r.recorded);
      if (own.length !== link.entries || !createHash('sha256').update(link.prev_hash).update(content.digest()).digest().equals(link.hash)) {
        return broken(own[0]?.event_id ?? null, position, `the link's entries do not match its hash (${own.length} found, ${link.entries} sealed): entries were removed from it, added to it, or their hashes changed`);
      }
      if (anchor && position === anchor.position && link.hash.toString('hex') !== anchor.hash) {
        return broken(null, position, 'the chain at the anchor differs from the published hash: the chain was rewritten up to here');
      }
      running = link.hash;
      entries += own.length;
      expected++;
    }
    if (links.length < batchSize) break;
  }
  const last = expected - 1n;
  if (anchor && anchor.position > last) return broken(null, anchor.position, `the chain ends at position ${last}, before the anchor: links were removed from its end`);

  const [head]: Array<{ position: string; hash: Buffer } | undefined> = await query<{ position: string; hash: Buffer }>('SELECT position::text, hash FROM public.audit_chain_head');
  if (!head) return broken(null, null, 'the chain head is missing');
  if (BigInt(head.position) !== last || !head.hash.equals(running)) {
    return broken(null, BigInt(head.position), `the chain head names position ${head.position} but the chain ends at ${last}: links were removed from its end, or added behind its back`);
  }
  const [unhashed] = await query<{ id: string | null; n: number }>(
    `SELECT min(e.id)::text AS id, count(*)::int AS n FROM public.audit_event e WHERE NOT EXISTS (SELECT 1 FROM public.audit_chain_entry x WHERE x.event_id = e.id)`,
  );
  if (unhashed.id !== null) {
    return broken(unhashed.id, null, `the row is not in the chain (${unhashed.n} such): it was written without append_audit_events`);
  }
  const [unsealed] = await query<{ id: string | null; n: number }>(
    `SELECT min(x.event_id)::text AS id, count(*)::int AS n FROM public.audit_chain_entry x WHERE NOT EXISTS (SELECT 1 FROM public.audit_chain c WHERE c.link_id = x.link_id)`,
  );
  if (unsealed.id !== null) {
    return broken(unsealed.id, null, `the row's link was never sealed onto the chain (${unsealed.n} such rows): its transaction skipped the sealing, or the link was removed`);
  }
  return { entries, head: { position: last.toString(), hash: running.toString('hex') }, broken: null };
}
