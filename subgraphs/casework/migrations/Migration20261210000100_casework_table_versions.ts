import { Migration } from '@mikro-orm/migrations';

/** The tables the children list's filters read (resolvers/child.resolver.ts's childFilterSql), each with a version of its own. */
export const VERSIONED_TABLES = ['child', 'ehc_plan', 'worker_allocation', 'annual_review'] as const;

/**
 * A version per table the children list counts from, for its totals filed in the
 * subgraph process (toolkit/stored-reads.ts): a total is filed under the versions
 * of just the tables its filter reads, so recording a request or an annual
 * review does not make every list count its children again (a second at
 * England's size), only the lists whose filters read what was written.
 *
 * The same design as casework_data_version (Migration20261207000400): a
 * statement trigger notes, once per transaction and table, that the table was
 * written (casework_table_version_pending); deferred triggers add one to each
 * noted table's version as the transaction commits, in it, after all else the
 * transaction does at commit, so a read that starts after a write commits finds
 * a newer version. The versions are bumped in table-name order, after
 * casework_data_version's row, so two writers of the same tables queue rather
 * than deadlock. `epoch` tells this database from another whose count also
 * started at 1.
 */
export class Migration20261210000100_casework_table_versions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
  CREATE TABLE casework_table_version (
    table_name text PRIMARY KEY,
    epoch uuid NOT NULL DEFAULT gen_random_uuid(),
    version bigint NOT NULL DEFAULT 1
  );
  INSERT INTO casework_table_version (table_name) VALUES ${VERSIONED_TABLES.map((t) => `('${t}')`).join(', ')};
  -- One row per table and writing transaction until it commits (the bump deletes them).
  CREATE TABLE casework_table_version_pending (
    table_name text NOT NULL
  );

  CREATE FUNCTION casework_table_version_note() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    IF current_setting('casework.version_noted_' || TG_TABLE_NAME, true) = 'on' THEN RETURN NULL; END IF;
    PERFORM set_config('casework.version_noted_' || TG_TABLE_NAME, 'on', true);
    INSERT INTO casework_table_version_pending (table_name) VALUES (TG_TABLE_NAME);
    RETURN NULL;
  END
  $fn$;

  -- At commit, in two steps. A writer's note comes at its first write, before the measures' facts are
  -- refreshed (a deferred trigger queued later in the transaction, which locks shared rows of the facts):
  -- bumping then would hold a version row while waiting for facts rows another committing writer holds,
  -- as it waits for the version row. So the note's deferred trigger only queues the bump behind
  -- everything the transaction queued (a row in casework_table_version_ready), and the bump runs last.
  CREATE TABLE casework_table_version_ready (
    ready boolean NOT NULL DEFAULT true
  );
  CREATE FUNCTION casework_table_version_queue() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    IF current_setting('casework.version_queued', true) = 'on' THEN RETURN NULL; END IF;
    PERFORM set_config('casework.version_queued', 'on', true);
    INSERT INTO casework_table_version_ready DEFAULT VALUES;
    RETURN NULL;
  END
  $fn$;
  CREATE CONSTRAINT TRIGGER casework_table_version_queue AFTER INSERT ON casework_table_version_pending
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION casework_table_version_queue();

  -- One more version for each table this transaction wrote, in table-name order.
  CREATE FUNCTION casework_table_version_bump() RETURNS trigger LANGUAGE plpgsql AS $fn$
  DECLARE
    written text[];
    name text;
  BEGIN
    DELETE FROM casework_table_version_ready;
    WITH noted AS (DELETE FROM casework_table_version_pending RETURNING table_name)
      SELECT array_agg(DISTINCT table_name ORDER BY table_name) INTO written FROM noted;
    -- A write later in the commit (another deferred trigger's) is noted and bumped afresh.
    PERFORM set_config('casework.version_queued', 'off', true);
    PERFORM set_config('casework.version_noted_' || t, 'off', true) FROM unnest(coalesce(written, '{}')) AS t;
    IF written IS NULL THEN RETURN NULL; END IF;
    -- casework_data_version's row first, as its own bump may come before or after this one: every
    -- committing writer takes the version rows in one order, so none waits on another in a circle.
    PERFORM 1 FROM casework_data_version FOR UPDATE;
    FOREACH name IN ARRAY written LOOP
      UPDATE casework_table_version SET version = version + 1 WHERE table_name = name;
    END LOOP;
    RETURN NULL;
  END
  $fn$;
  CREATE CONSTRAINT TRIGGER casework_table_version_bump AFTER INSERT ON casework_table_version_ready
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION casework_table_version_bump();
`);
    for (const table of VERSIONED_TABLES) {
      this.addSql(`CREATE TRIGGER ${table}_table_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
    FOR EACH STATEMENT EXECUTE FUNCTION casework_table_version_note();`);
    }
  }
}
