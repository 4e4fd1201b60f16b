import { createHash } from 'node:crypto';

/**
 * Checks one database's audit trail against its hash chain (the audit-chain
 * migration): the structure that protects it, then every chain entry in order,
 * the head, and that every entry is chained. Reports the first broken link by row
 * id and chain position and what is wrong with it, never a row's contents.
 *
 * It recomputes each entry's hash from the entry itself with its own copy of the
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
  /** Its position in the chain, when it has one. */
  position: string | null;
  problem: string;
}

export interface ChainReport {
  /** Entries walked, in chain order. */
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

/** The genesis hash: the chain's "previous hash" for its first entry. */
export const GENESIS = Buffer.alloc(32);

/** Keep in step with the migration's canonical form (the tests check they agree). */
const DIGEST = `pg_catalog.sha256(pg_catalog.convert_to(pg_catalog.json_build_array(e.id, pg_catalog.extract('epoch', e.occurred_at), e.user_id, e.roles, e.org, e.operation_name, e.request_id, e.action, e.entity_type, e.entity_id, e.fields)::text, 'UTF8'))`;

const TRIGGERS: Record<string, string[]> = {
  audit_event: ['audit_event_no_update', 'audit_event_no_truncate', 'audit_event_chain'],
  audit_chain: ['audit_chain_no_update', 'audit_chain_no_truncate'],
  audit_chain_head: ['audit_chain_head_kept', 'audit_chain_head_no_truncate'],
};

const link = (prev: Buffer, digest: Buffer) => createHash('sha256').update(prev).update(digest).digest();

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

  const batchSize = options.batchSize ?? 5000;
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
    const rows = await query<{ position: string; event_id: string; prev_hash: Buffer; hash: Buffer; missing: boolean; digest: Buffer }>(
      `SELECT c.position::text, c.event_id::text, c.prev_hash, c.hash, e.id IS NULL AS missing, ${DIGEST} AS digest
       FROM public.audit_chain c LEFT JOIN public.audit_event e ON e.id = c.event_id
       WHERE c.position >= $1 ORDER BY c.position LIMIT $2`,
      [expected.toString(), batchSize],
    );
    for (const r of rows) {
      const position = BigInt(r.position);
      if (position !== expected) return broken(null, expected, `chain position ${expected} is missing (the chain goes on at ${position}): an entry was removed with its row`);
      if (!r.prev_hash.equals(running)) return broken(r.event_id, position, 'it does not follow the entry before it in the chain: entries before it were removed, inserted or reordered');
      if (r.missing) return broken(r.event_id, position, 'the row is gone: it was deleted');
      if (!link(r.prev_hash, r.digest).equals(r.hash)) return broken(r.event_id, position, 'the row does not match its hash: it was changed after it was recorded');
      if (anchor && position === anchor.position && r.hash.toString('hex') !== anchor.hash) {
        return broken(r.event_id, position, 'the chain at the anchor differs from the published hash: the chain was rewritten up to here');
      }
      running = r.hash;
      entries++;
      expected++;
    }
    if (rows.length < batchSize) break;
  }
  const last = expected - 1n;
  if (anchor && anchor.position > last) return broken(null, anchor.position, `the chain ends at position ${last}, before the anchor: entries were removed from its end`);

  const [head]: Array<{ position: string; hash: Buffer } | undefined> = await query<{ position: string; hash: Buffer }>('SELECT position::text, hash FROM public.audit_chain_head');
  if (!head) return broken(null, null, 'the chain head is missing');
  if (BigInt(head.position) !== last || !head.hash.equals(running)) {
    return broken(null, BigInt(head.position), `the chain head names position ${head.position} but the chain ends at ${last}: entries were removed from its end, or added behind its back`);
  }
  const [unchained] = await query<{ id: string | null; n: number }>(
    `SELECT min(e.id)::text AS id, count(*)::int AS n FROM public.audit_event e WHERE NOT EXISTS (SELECT 1 FROM public.audit_chain c WHERE c.event_id = e.id)`,
  );
  if (unchained.id !== null) {
    return broken(unchained.id, null, `the row is not in the chain (${unchained.n} such): it was written without append_audit_events, or its chaining was skipped`);
  }
  return { entries, head: { position: last.toString(), hash: running.toString('hex') }, broken: null };
}
