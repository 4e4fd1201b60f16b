import { Migration } from '@mikro-orm/migrations';

/**
 * The version of governance's own data, for the dashboard's store of what it read
 * (resolvers/dashboard-store.ts): every transaction that changes any table the
 * dashboard, its plan or its cards read adds one to governance_data_version as it
 * commits, in that same transaction, so a read that sees version v sees exactly
 * the rows every other read of v saw, and a read that starts after a commit sees
 * a newer version.
 *
 * The same shape as casework's and health's data versions (their migrations say
 * why it is an UPDATE of one row bumped at commit by a deferred constraint
 * trigger, not a sequence or a log of ids): a statement trigger on each table
 * notes once per transaction that it wrote (governance_data_version_pending), and
 * the deferred trigger on that note adds one when the transaction commits. A
 * rolled-back savepoint takes its note (and the setting that says "noted") with
 * it. Every governance table carries the note, not only those read today, so a
 * new read of any of them cannot be served from an older version by mistake.
 * `epoch` tells this database from another whose count also started at 1.
 */
export class Migration20261208000100_governance_data_version extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
  CREATE TABLE governance_data_version (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    epoch uuid NOT NULL DEFAULT gen_random_uuid(),
    version bigint NOT NULL DEFAULT 1
  );
  INSERT INTO governance_data_version DEFAULT VALUES;
  -- One row per writing transaction until it commits (the bump deletes it).
  CREATE TABLE governance_data_version_pending (
    noted boolean NOT NULL DEFAULT true
  );

  CREATE FUNCTION governance_data_version_note() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    IF current_setting('governance.data_version_noted', true) = 'on' THEN RETURN NULL; END IF;
    PERFORM set_config('governance.data_version_noted', 'on', true);
    INSERT INTO governance_data_version_pending DEFAULT VALUES;
    RETURN NULL;
  END
  $fn$;

  -- At commit: one more version. Other transactions' notes are not visible (uncommitted) and never committed.
  CREATE FUNCTION governance_data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    DELETE FROM governance_data_version_pending;
    UPDATE governance_data_version SET version = version + 1;
    RETURN NULL;
  END
  $fn$;
  CREATE CONSTRAINT TRIGGER governance_data_version_bump AFTER INSERT ON governance_data_version_pending
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION governance_data_version_bump();

  CREATE TRIGGER governance_body_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON governance_body
    FOR EACH STATEMENT EXECUTE FUNCTION governance_data_version_note();
  CREATE TRIGGER meeting_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON meeting
    FOR EACH STATEMENT EXECUTE FUNCTION governance_data_version_note();
  CREATE TRIGGER pap_area_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pap_area
    FOR EACH STATEMENT EXECUTE FUNCTION governance_data_version_note();
  CREATE TRIGGER priority_action_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON priority_action
    FOR EACH STATEMENT EXECUTE FUNCTION governance_data_version_note();
  CREATE TRIGGER milestone_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON milestone
    FOR EACH STATEMENT EXECUTE FUNCTION governance_data_version_note();
  CREATE TRIGGER progress_update_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON progress_update
    FOR EACH STATEMENT EXECUTE FUNCTION governance_data_version_note();
  CREATE TRIGGER kpi_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kpi
    FOR EACH STATEMENT EXECUTE FUNCTION governance_data_version_note();
  CREATE TRIGGER priority_action_kpi_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON priority_action_kpi
    FOR EACH STATEMENT EXECUTE FUNCTION governance_data_version_note();
  CREATE TRIGGER escalation_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON escalation
    FOR EACH STATEMENT EXECUTE FUNCTION governance_data_version_note();
  CREATE TRIGGER review_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON review
    FOR EACH STATEMENT EXECUTE FUNCTION governance_data_version_note();
  CREATE TRIGGER review_finding_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON review_finding
    FOR EACH STATEMENT EXECUTE FUNCTION governance_data_version_note();
  CREATE TRIGGER family_feedback_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON family_feedback
    FOR EACH STATEMENT EXECUTE FUNCTION governance_data_version_note();
  CREATE TRIGGER published_comparator_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON published_comparator
    FOR EACH STATEMENT EXECUTE FUNCTION governance_data_version_note();
`);
  }
}
