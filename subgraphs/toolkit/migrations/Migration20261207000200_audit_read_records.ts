import { Migration } from '@mikro-orm/migrations';

/*
 * The canonical content of one audit entry, as hashed (see the audit-chain
 * migration): entries without record ids (writes, and reads recorded before this
 * migration) keep the form they were hashed with; an entry with record ids adds
 * them as a twelfth element, so that neither form can pass for the other. Kept in
 * step with the verifier (audit-chain.ts); the tests check that they agree.
 */
const DIGEST = (e: string) =>
  `pg_catalog.sha256(pg_catalog.convert_to(CASE WHEN ${e}.record_ids IS NULL
    THEN pg_catalog.json_build_array(${e}.id, pg_catalog.extract('epoch', ${e}.occurred_at), ${e}.user_id, ${e}.roles, ${e}.org, ${e}.operation_name, ${e}.request_id, ${e}.action, ${e}.entity_type, ${e}.entity_id, ${e}.fields)
    ELSE pg_catalog.json_build_array(${e}.id, pg_catalog.extract('epoch', ${e}.occurred_at), ${e}.user_id, ${e}.roles, ${e}.org, ${e}.operation_name, ${e}.request_id, ${e}.action, ${e}.entity_type, ${e}.entity_id, ${e}.fields, ${e}.record_ids)
    END::text, 'UTF8'))`;

/**
 * A request's reads as one entry per record type and field set, not one per
 * record: `record_ids` holds the ids of every record of that type the request
 * read those fields of, under a GIN index, so "who read this child, when" is one
 * indexed query (`record_ids @> ARRAY[id]`). `entity_id` names the record when
 * the entry covers one (writes, and reads recorded before), and is null when it
 * covers several. `append_audit_events` takes `record_ids` and hashes entries
 * that carry them in a form of their own; entries already in the chain keep
 * theirs, so the chain verifies across old and new entries.
 *
 * On a sealed trail the tables and the function belong to `<db>_audit`: the
 * administrator lets the owner login act as it while migrating (prepareDatabases;
 * see docs/security.md).
 */
export class Migration20261207000200_audit_read_records extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      ALTER TABLE audit_event ADD COLUMN record_ids text[];
      ALTER TABLE audit_event ALTER COLUMN entity_id DROP NOT NULL;
      ALTER TABLE audit_event ADD CONSTRAINT audit_event_names_a_record CHECK (entity_id IS NOT NULL OR record_ids IS NOT NULL) NOT VALID;
      CREATE INDEX audit_event_record_ids_idx ON audit_event USING gin (record_ids);

      CREATE OR REPLACE FUNCTION append_audit_events(entries json) RETURNS integer LANGUAGE plpgsql SECURITY DEFINER
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
          INSERT INTO public.audit_event (occurred_at, user_id, roles, org, operation_name, request_id, action, entity_type, entity_id, fields, record_ids)
          SELECT now(), x.user_id, x.roles, x.org, x.operation_name, x.request_id, x.action, x.entity_type, x.entity_id, coalesce(x.fields, '{}'), x.record_ids
          FROM json_to_recordset(entries) AS x(user_id text, roles text[], org text, operation_name text, request_id text, action text, entity_type text, entity_id text, fields text[], record_ids text[])
          RETURNING *
        )
        INSERT INTO public.audit_chain_entry (event_id, link_id, digest)
        SELECT e.id, link, ${DIGEST('e')} FROM e;
        GET DIAGNOSTICS appended = ROW_COUNT;
        RETURN appended;
      END;
      $$;
    `);
  }

  override async down(): Promise<void> {
    // Entries with record ids cannot go back to the old form; the function stays as it is.
    this.addSql(`DROP INDEX audit_event_record_ids_idx;`);
  }
}

export const auditReadRecordsMigration = { name: 'Migration20261207000200_audit_read_records', class: Migration20261207000200_audit_read_records };
