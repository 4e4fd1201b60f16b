import { Migration } from '@mikro-orm/migrations';

/*
 * The canonical content of one audit entry, as hashed: a JSON array of its columns
 * in table order, the time as seconds since 1970-01-01 UTC to six decimals
 * (extract's exact numeric). Built from pg_catalog functions only, so its text
 * depends on no session setting (time zone, date style). The same expression
 * is written out in the chain trigger below, in the backfill below, and in the
 * verifier (audit-chain.ts), which must not trust anything stored in the database;
 * the tests check that the three agree.
 */
const DIGEST = (e: string) =>
  `pg_catalog.sha256(pg_catalog.convert_to(pg_catalog.json_build_array(${e}.id, pg_catalog.extract('epoch', ${e}.occurred_at), ${e}.user_id, ${e}.roles, ${e}.org, ${e}.operation_name, ${e}.request_id, ${e}.action, ${e}.entity_type, ${e}.entity_id, ${e}.fields)::text, 'UTF8'))`;

/**
 * Makes each database's audit trail tamper-evident.
 *
 * - Entries are appended only through `append_audit_events(json)`, a SECURITY
 *   DEFINER function that stamps `occurred_at` itself: whatever else the JSON
 *   carries (a time, a hash) is ignored. Provisioning revokes direct INSERT from the
 *   runtime login and hands the audit objects to a role of their own
 *   (`<db>_audit`, no login), so neither the runtime nor the owner login can change
 *   or remove an entry, or turn the triggers off.
 * - Every entry is chained: `audit_chain` holds, per entry, its position, the hash
 *   of the entry before it and its own hash, sha256(previous hash || sha256(its
 *   canonical content)); `audit_chain_head` holds the last position and hash
 *   (genesis: 32 zero bytes). A deleted, edited, reordered or forged entry breaks
 *   the chain, which `npm run audit:verify` walks.
 * - Entries are chained when their transaction commits (a deferred constraint
 *   trigger, queued once per transaction), under a lock on the head row, so the chain is linear whatever runs
 *   at once, and the lock is held for the chaining only, never for the rest of a
 *   long transaction (an import) that appended early. Chain order is commit
 *   order; a transaction's own entries are chained in id order.
 * - Existing entries are chained here, in id order.
 *
 * The functions the SECURITY DEFINER code runs are pg_catalog's only, and every
 * table is named with its schema, so that nothing another login creates in
 * `public` runs with the audit role's rights.
 */
export class Migration20261123000000_audit_chain extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE FUNCTION audit_trail_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END;
      $$;

      CREATE TABLE audit_chain (
        position bigint PRIMARY KEY,
        event_id bigint NOT NULL UNIQUE,
        prev_hash bytea NOT NULL,
        hash bytea NOT NULL
      );
      CREATE TRIGGER audit_chain_no_update BEFORE UPDATE OR DELETE ON audit_chain
        FOR EACH ROW EXECUTE FUNCTION audit_trail_append_only();
      CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain
        FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_append_only();

      CREATE TABLE audit_chain_head (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        position bigint NOT NULL,
        hash bytea NOT NULL
      );
      INSERT INTO audit_chain_head (position, hash) VALUES (0, decode(repeat('00', 32), 'hex'));
      CREATE TRIGGER audit_chain_head_kept BEFORE DELETE ON audit_chain_head
        FOR EACH ROW EXECUTE FUNCTION audit_trail_append_only();
      CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head
        FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_append_only();

      -- True for the first entry a transaction (or savepoint) appends, so that one
      -- chaining is queued per transaction, not one per entry: an import's 50,000
      -- entries cost one firing at commit. A rolled-back savepoint takes its
      -- setting and its queued firing with it. A login that sets the variable
      -- itself only keeps its own entries out of the chain, which the verifier
      -- reports.
      CREATE FUNCTION audit_event_chain_pending() RETURNS boolean LANGUAGE sql VOLATILE AS $$
        SELECT CASE
          WHEN pg_catalog.current_setting('audit.chain_pending', true) IS DISTINCT FROM 'on'
          THEN pg_catalog.set_config('audit.chain_pending', 'on', true) = 'on'
          ELSE false
        END
      $$;

      -- Chains, at commit, the entries appended from NEW.id (this transaction's
      -- first) on that are not chained yet, in id order. Their content hashes are
      -- worked out before the lock is taken: under it there is only the chaining.
      CREATE FUNCTION audit_event_chain() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp
        SET plan_cache_mode = force_custom_plan
      AS $$
      DECLARE
        head_position bigint;
        head_hash bytea;
        ids bigint[];
        digests bytea[];
        positions bigint[] := '{}';
        prevs bytea[] := '{}';
        hashes bytea[] := '{}';
        i integer;
      BEGIN
        PERFORM set_config('audit.chain_pending', '', true);
        -- The lateral probe (LIMIT keeps it a per-row index lookup) stays cheap
        -- whatever the planner believes about the tables' sizes.
        SELECT array_agg(e.id ORDER BY e.id), array_agg(${DIGEST('e')} ORDER BY e.id) INTO ids, digests
        FROM public.audit_event e
        LEFT JOIN LATERAL (SELECT true AS chained FROM public.audit_chain c WHERE c.event_id = e.id LIMIT 1) c ON true
        WHERE e.id >= NEW.id AND c.chained IS NULL;
        IF ids IS NULL THEN
          RETURN NULL;
        END IF;
        SELECT h.position, h.hash INTO head_position, head_hash FROM public.audit_chain_head h FOR UPDATE;
        -- Entries another transaction chained while this one waited for the lock:
        -- only ever ones written outside append_audit_events, which all can see.
        IF EXISTS (SELECT 1 FROM public.audit_chain c WHERE c.event_id = ANY (ids)) THEN
          SELECT array_agg(u.id ORDER BY u.n), array_agg(u.digest ORDER BY u.n) INTO ids, digests
          FROM unnest(ids, digests) WITH ORDINALITY AS u(id, digest, n)
          WHERE NOT EXISTS (SELECT 1 FROM public.audit_chain c WHERE c.event_id = u.id);
          IF ids IS NULL THEN
            RETURN NULL;
          END IF;
        END IF;
        FOR i IN 1 .. cardinality(ids) LOOP
          head_position := head_position + 1;
          positions := positions || head_position;
          prevs := prevs || head_hash;
          head_hash := sha256(head_hash || digests[i]);
          hashes := hashes || head_hash;
        END LOOP;
        INSERT INTO public.audit_chain (position, event_id, prev_hash, hash) SELECT * FROM unnest(positions, ids, prevs, hashes);
        UPDATE public.audit_chain_head SET position = head_position, hash = head_hash;
        RETURN NULL;
      END;
      $$;
      CREATE CONSTRAINT TRIGGER audit_event_chain AFTER INSERT ON audit_event
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (audit_event_chain_pending())
        EXECUTE FUNCTION audit_event_chain();

      -- The one way in: the caller says who did what to which record; the time,
      -- the order and the hashes are the database's.
      CREATE FUNCTION append_audit_events(entries json) RETURNS integer LANGUAGE sql SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp
      AS $$
        WITH appended AS (
          INSERT INTO public.audit_event (occurred_at, user_id, roles, org, operation_name, request_id, action, entity_type, entity_id, fields)
          SELECT now(), x.user_id, x.roles, x.org, x.operation_name, x.request_id, x.action, x.entity_type, x.entity_id, coalesce(x.fields, '{}')
          FROM json_to_recordset(entries) AS x(user_id text, roles text[], org text, operation_name text, request_id text, action text, entity_type text, entity_id text, fields text[])
          RETURNING 1
        )
        SELECT count(*)::integer FROM appended
      $$;
      REVOKE ALL ON FUNCTION append_audit_events(json) FROM PUBLIC;
      REVOKE ALL ON FUNCTION audit_event_chain() FROM PUBLIC;
      REVOKE ALL ON FUNCTION audit_event_chain_pending() FROM PUBLIC;

      -- The entries already recorded, chained in id order.
      DO $$
      DECLARE
        head_position bigint := 0;
        head_hash bytea := decode(repeat('00', 32), 'hex');
        r record;
        positions bigint[] := '{}';
        ids bigint[] := '{}';
        prevs bytea[] := '{}';
        hashes bytea[] := '{}';
      BEGIN
        FOR r IN SELECT e.id, ${DIGEST('e')} AS digest FROM audit_event e ORDER BY e.id LOOP
          head_position := head_position + 1;
          positions := positions || head_position;
          ids := ids || r.id;
          prevs := prevs || head_hash;
          head_hash := sha256(head_hash || r.digest);
          hashes := hashes || head_hash;
        END LOOP;
        INSERT INTO audit_chain (position, event_id, prev_hash, hash) SELECT * FROM unnest(positions, ids, prevs, hashes);
        UPDATE audit_chain_head SET position = head_position, hash = head_hash;
      END;
      $$;
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      DROP TRIGGER audit_event_chain ON audit_event;
      DROP FUNCTION append_audit_events(json);
      DROP FUNCTION audit_event_chain();
      DROP FUNCTION audit_event_chain_pending();
      DROP TABLE audit_chain_head;
      DROP TABLE audit_chain;
      DROP FUNCTION audit_trail_append_only();
    `);
  }
}

export const auditChainMigration = { name: 'Migration20261123000000_audit_chain', class: Migration20261123000000_audit_chain };
