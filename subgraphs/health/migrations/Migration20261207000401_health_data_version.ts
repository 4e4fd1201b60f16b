import { Migration } from '@mikro-orm/migrations';

/**
 * The version of the data the measures read (health_month_end, health_month_end_service,
 * health_first_contact_distribution, health_advice_month, health_space_month),
 * for the figure cache (toolkit/measures/figure-cache.ts): every transaction that changes
 * it adds one to health_data_version as it commits, in that same transaction,
 * so a read that sees version v sees exactly the figures every other read of v
 * saw, and a read that starts after a commit sees a newer version.
 *
 * - A statement trigger on each table the measures read (whoever writes it: the
 *   month tables' own triggers, the month-end refresh, the deferred rebuild of
 *   the first-contact distributions, the imports, the seed, hand-written SQL) notes once per transaction that it wrote
 *   (health_data_version_pending); a deferred constraint trigger on that note
 *   adds one to the version when the transaction commits. The version row is
 *   therefore locked only from commit to commit, never while a writer still
 *   works, so concurrent writers queue on it for a moment and cannot deadlock
 *   through it. A rolled-back savepoint takes its note (and the setting that
 *   says "noted") with it.
 * - Not a sequence: nextval is not transactional. Its new value is seen by every
 *   session at once, before the write commits (a read in between would cache the
 *   old figure under the new number), and it is never given back on rollback.
 *   Nor a log of ids: ids are handed out in start order, not commit order. An
 *   UPDATE of one row is ordered by commit: the next writer's UPDATE waits for
 *   the previous commit and adds to its value.
 * - `epoch` tells this database from another (or an earlier one with the same
 *   name) whose count also started at 1.
 */
export class Migration20261207000401_health_data_version extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
  CREATE TABLE health_data_version (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    epoch uuid NOT NULL DEFAULT gen_random_uuid(),
    version bigint NOT NULL DEFAULT 1
  );
  INSERT INTO health_data_version DEFAULT VALUES;
  -- One row per writing transaction until it commits (the bump deletes it).
  CREATE TABLE health_data_version_pending (
    noted boolean NOT NULL DEFAULT true
  );

  CREATE FUNCTION health_data_version_note() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    IF current_setting('health.data_version_noted', true) = 'on' THEN RETURN NULL; END IF;
    PERFORM set_config('health.data_version_noted', 'on', true);
    INSERT INTO health_data_version_pending DEFAULT VALUES;
    RETURN NULL;
  END
  $fn$;

  -- At commit: one more version. Other transactions' notes are not visible (uncommitted) and never committed.
  CREATE FUNCTION health_data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    DELETE FROM health_data_version_pending;
    UPDATE health_data_version SET version = version + 1;
    RETURN NULL;
  END
  $fn$;
  CREATE CONSTRAINT TRIGGER health_data_version_bump AFTER INSERT ON health_data_version_pending
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION health_data_version_bump();

  ${['health_month_end', 'health_month_end_service', 'health_first_contact_distribution', 'health_advice_month', 'health_space_month']
    .map((table) => `
  CREATE TRIGGER ${table}_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
    FOR EACH STATEMENT EXECUTE FUNCTION health_data_version_note();`)
    .join('')}
`);
  }
}
