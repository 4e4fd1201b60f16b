import { Migration } from '@mikro-orm/migrations';

/*
 * The canonical content of one audit entry, as hashed: a JSON array of its columns
 * in table order, the time as seconds since 1970-01-01 UTC to six decimals
 * (extract's exact numeric). Built from pg_catalog functions only, so its text
 * depends on no session setting (time zone, date style). The same expression is
 * written out in append_audit_events and in the backfill below, and in the
 * verifier (audit-chain.ts), which must not trust anything stored in the
 * database; the tests check that they agree.
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
 * - Every entry is hashed as it is appended: `audit_chain_entry` holds its
 *   sha256 and the link of the chain it belongs to, one link per transaction.
 * - When the transaction commits, its link is sealed onto the chain
 *   (`audit_chain`): position, the previous link's hash, and its own hash,
 *   sha256(previous hash || sha256(its entries' hashes in id order));
 *   `audit_chain_head` holds the last position and hash (genesis: 32 zero bytes).
 *   A deleted, edited, reordered or forged entry breaks the chain, which
 *   `npm run audit:verify` walks.
 * - Sealing takes a lock on the head row, so the chain is linear whatever runs at
 *   once; everything that grows with the number of entries (hashing them, summing
 *   a link's hashes) happens before the lock is taken, so a transaction of fifty
 *   thousand entries holds it no longer than one of five. Chain order is commit
 *   order. A rolled-back transaction or savepoint takes its entries with it.
 * - Entries recorded before this migration make up the chain's first link.
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

      CREATE SEQUENCE audit_chain_link_seq;

      CREATE TABLE audit_chain_entry (
        event_id bigint PRIMARY KEY,
        link_id bigint NOT NULL,
        digest bytea NOT NULL
      );
      CREATE INDEX audit_chain_entry_link_idx ON audit_chain_entry (link_id, event_id);
      CREATE TRIGGER audit_chain_entry_no_update BEFORE UPDATE OR DELETE ON audit_chain_entry
        FOR EACH ROW EXECUTE FUNCTION audit_trail_append_only();
      CREATE TRIGGER audit_chain_entry_no_truncate BEFORE TRUNCATE ON audit_chain_entry
        FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_append_only();

      CREATE TABLE audit_chain (
        position bigint PRIMARY KEY,
        link_id bigint NOT NULL UNIQUE,
        entries integer NOT NULL,
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

      -- The entries already recorded make up the first link (before the sealing
      -- trigger exists, which would seal it a second time).
      INSERT INTO audit_chain_entry (event_id, link_id, digest)
      SELECT e.id, 1, ${DIGEST('e')} FROM audit_event e;
      DO $$
      DECLARE
        n integer;
        content bytea;
        genesis bytea := decode(repeat('00', 32), 'hex');
      BEGIN
        SELECT count(*), sha256(string_agg(x.digest, ''::bytea ORDER BY x.event_id)) INTO n, content FROM audit_chain_entry x;
        IF n > 0 THEN
          PERFORM setval('audit_chain_link_seq', 1);
          INSERT INTO audit_chain (position, link_id, entries, prev_hash, hash) VALUES (1, 1, n, genesis, sha256(genesis || content));
          UPDATE audit_chain_head SET position = 1, hash = sha256(genesis || content);
        END IF;
      END;
      $$;

      -- The one way in: the caller says who did what to which record; the time,
      -- the hashes and the order are the database's. The first append of a
      -- transaction opens its link (audit.link, local to the transaction; a
      -- rolled-back savepoint takes it back with its entries).
      CREATE FUNCTION append_audit_events(entries json) RETURNS integer LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp
      AS $$
      DECLARE
        link bigint := nullif(current_setting('audit.link', true), '')::bigint;
        appended integer;
      BEGIN
        IF link IS NULL THEN
          link := nextval('public.audit_chain_link_seq');
          PERFORM set_config('audit.link', link::text, true);
        END IF;
        WITH e AS (
          INSERT INTO public.audit_event (occurred_at, user_id, roles, org, operation_name, request_id, action, entity_type, entity_id, fields)
          SELECT now(), x.user_id, x.roles, x.org, x.operation_name, x.request_id, x.action, x.entity_type, x.entity_id, coalesce(x.fields, '{}')
          FROM json_to_recordset(entries) AS x(user_id text, roles text[], org text, operation_name text, request_id text, action text, entity_type text, entity_id text, fields text[])
          RETURNING *
        )
        INSERT INTO public.audit_chain_entry (event_id, link_id, digest)
        SELECT e.id, link, ${DIGEST('e')} FROM e;
        GET DIAGNOSTICS appended = ROW_COUNT;
        RETURN appended;
      END;
      $$;

      -- True for the first entry of a link, so that one sealing is queued per
      -- link, not one per entry. A login that sets the variable itself only keeps
      -- its own link off the chain, which the verifier reports.
      CREATE FUNCTION audit_chain_seal_pending() RETURNS boolean LANGUAGE sql VOLATILE AS $$
        SELECT CASE
          WHEN pg_catalog.current_setting('audit.seal_pending', true) IS DISTINCT FROM 'on'
          THEN pg_catalog.set_config('audit.seal_pending', 'on', true) = 'on'
          ELSE false
        END
      $$;

      -- Seals the committing transaction's link onto the chain.
      CREATE FUNCTION audit_chain_seal() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp
      AS $$
      DECLARE
        n integer;
        content bytea;
        head_position bigint;
        head_hash bytea;
      BEGIN
        -- Anything appended after this (after SET CONSTRAINTS ... IMMEDIATE) opens a new link.
        PERFORM set_config('audit.seal_pending', '', true);
        PERFORM set_config('audit.link', '', true);
        SELECT count(*), sha256(string_agg(x.digest, ''::bytea ORDER BY x.event_id)) INTO n, content
        FROM public.audit_chain_entry x WHERE x.link_id = NEW.link_id;
        IF n = 0 THEN
          RETURN NULL;
        END IF;
        SELECT h.position, h.hash INTO head_position, head_hash FROM public.audit_chain_head h FOR UPDATE;
        INSERT INTO public.audit_chain (position, link_id, entries, prev_hash, hash)
        VALUES (head_position + 1, NEW.link_id, n, head_hash, sha256(head_hash || content));
        UPDATE public.audit_chain_head SET position = head_position + 1, hash = sha256(head_hash || content);
        RETURN NULL;
      END;
      $$;
      CREATE CONSTRAINT TRIGGER audit_chain_seal AFTER INSERT ON audit_chain_entry
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (audit_chain_seal_pending())
        EXECUTE FUNCTION audit_chain_seal();

      REVOKE ALL ON FUNCTION append_audit_events(json) FROM PUBLIC;
      REVOKE ALL ON FUNCTION audit_chain_seal() FROM PUBLIC;
      REVOKE ALL ON FUNCTION audit_chain_seal_pending() FROM PUBLIC;

    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      DROP FUNCTION append_audit_events(json);
      DROP TABLE audit_chain_entry;
      DROP TABLE audit_chain;
      DROP TABLE audit_chain_head;
      DROP SEQUENCE audit_chain_link_seq;
      DROP FUNCTION audit_chain_seal();
      DROP FUNCTION audit_chain_seal_pending();
      DROP FUNCTION audit_trail_append_only();
    `);
  }
}

export const auditChainMigration = { name: 'Migration20261123000000_audit_chain', class: Migration20261123000000_audit_chain };
