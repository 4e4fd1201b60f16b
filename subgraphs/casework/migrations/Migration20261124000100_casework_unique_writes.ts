import { Migration } from '@mikro-orm/migrations';

/**
 * The records a person could submit twice are kept single by the database, so
 * that two identical submissions at once leave one record (the loser answers
 * CONFLICT naming it, commands/): one request per child and received date, one
 * annual review per plan and meeting date, one allocation per child and start
 * date, and at most one open allocation per child. (One assessment per request
 * and one plan per assessment were unique from the start.)
 *
 * A database that already holds duplicates is refused with a count per rule and
 * nothing changed: which of two statutory records stands is for the council to
 * decide, not a migration.
 */
const RULES: Array<{ rule: string; groups: string }> = [
  { rule: 'requests with the same child and received date', groups: 'SELECT 1 FROM ehcna_request GROUP BY child_id, received_date HAVING count(*) > 1' },
  { rule: 'annual reviews with the same plan and meeting date', groups: 'SELECT 1 FROM annual_review WHERE meeting_date IS NOT NULL GROUP BY plan_id, meeting_date HAVING count(*) > 1' },
  { rule: 'allocations with the same child and start date', groups: 'SELECT 1 FROM worker_allocation GROUP BY child_id, start_date HAVING count(*) > 1' },
  { rule: 'children with more than one open allocation', groups: 'SELECT 1 FROM worker_allocation WHERE end_date IS NULL GROUP BY child_id HAVING count(*) > 1' },
];

export class Migration20261124000100_casework_unique_writes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`DO $$
      DECLARE n bigint;
      BEGIN
        ${RULES.map((r) => `SELECT count(*) INTO n FROM (${r.groups}) d;
        IF n > 0 THEN RAISE EXCEPTION 'casework holds % groups of ${r.rule}: resolve them, then migrate again', n; END IF;`).join('\n        ')}
      END $$;`);
    this.addSql(`
      ALTER TABLE ehcna_request ADD CONSTRAINT ehcna_request_child_id_received_date_unique UNIQUE (child_id, received_date);
      ALTER TABLE annual_review ADD CONSTRAINT annual_review_plan_id_meeting_date_unique UNIQUE (plan_id, meeting_date);
      ALTER TABLE worker_allocation ADD CONSTRAINT worker_allocation_child_id_start_date_unique UNIQUE (child_id, start_date);
      CREATE UNIQUE INDEX worker_allocation_one_open_per_child ON worker_allocation (child_id) WHERE end_date IS NULL;
    `);
  }
}
