import { Migration } from '@mikro-orm/migrations';

/**
 * A first load: an import into an area that holds no casework records yet checks
 * the records' foreign keys once, over whole tables, when it ends, instead of once
 * per row as it goes. PostgreSQL's own advice for populating a database
 * ("Remove Foreign Key Constraints"): a foreign key is checked by a query per
 * inserted row, about 4-5 µs each (100,000 plans copied into a table with and
 * without its two keys, by a scratch SQL script), and a SEN2 person is about nine
 * of them (its request, assessment, plan, placement, need and review, and an
 * allocation for some). `node dist/bench/sen2-import.js 100000 new`, alternated with
 * the build before: 20.3-23.9 s against 27.4-30.3 s. Added back, the twelve keys are
 * checked by one join each, about 0.3 s in all for that benchmark's 100,000 people.
 *
 * - casework_first_load_begin(): if no casework record is held, takes the record
 *   tables (and team and caseworker, which they refer to) for this transaction and
 *   drops their foreign keys; returns whether it did. It waits at most a second for
 *   the tables (a reader or writer holding them means the area is in use): then, as
 *   when any record is held, it takes nothing and returns false, and the caller
 *   writes with the keys checked row by row as usual.
 * - casework_first_load_end(): adds back every key the first load dropped, exactly as
 *   installed (FIRST_LOAD_FOREIGN_KEYS, which test/casework/first-load.test.ts compares
 *   with the database's own), checking each over its table: a row that refers to
 *   nothing fails it, and with it the transaction.
 * - A deferred constraint trigger calls the end at commit whatever the caller did, so
 *   no transaction commits with a key missing. If the keys installed ever differ from
 *   this list, the begin takes nothing (the list is out of date, and adding back an
 *   old definition would change the schema).
 *
 * While a first load runs, others wait for the casework tables until it commits: the
 * area holds nothing yet for them to read. Dropping and adding a key takes its
 * table's owner, so both functions run as the owner (SECURITY DEFINER, a fixed search
 * path), and they do nothing but the above: the definitions are constants here, never
 * read from a table a caller could write.
 */
export class Migration20261214000100_casework_first_load extends Migration {
  override async up(): Promise<void> {
    this.addSql(FIRST_LOAD_SQL);
  }
}

/** The casework records' foreign keys, as pg_get_constraintdef gives them: [table, constraint, definition]. */
export const FIRST_LOAD_FOREIGN_KEYS: ReadonlyArray<readonly [string, string, string]> = [
  ['child', 'child_team_id_foreign', 'FOREIGN KEY (team_id) REFERENCES team(id) ON UPDATE CASCADE ON DELETE SET NULL'],
  ['ehcna_request', 'ehcna_request_child_id_foreign', 'FOREIGN KEY (child_id) REFERENCES child(id) ON UPDATE CASCADE'],
  ['ehc_needs_assessment', 'ehc_needs_assessment_request_id_foreign', 'FOREIGN KEY (request_id) REFERENCES ehcna_request(id) ON UPDATE CASCADE'],
  ['ehc_needs_assessment', 'ehc_needs_assessment_child_id_foreign', 'FOREIGN KEY (child_id) REFERENCES child(id) ON UPDATE CASCADE'],
  ['ehc_plan', 'ehc_plan_child_id_foreign', 'FOREIGN KEY (child_id) REFERENCES child(id) ON UPDATE CASCADE'],
  ['ehc_plan', 'ehc_plan_assessment_id_foreign', 'FOREIGN KEY (assessment_id) REFERENCES ehc_needs_assessment(id) ON UPDATE CASCADE ON DELETE SET NULL'],
  ['plan_placement', 'plan_placement_plan_id_foreign', 'FOREIGN KEY (plan_id) REFERENCES ehc_plan(id) ON UPDATE CASCADE'],
  ['plan_sen_need', 'plan_sen_need_plan_id_foreign', 'FOREIGN KEY (plan_id) REFERENCES ehc_plan(id) ON UPDATE CASCADE'],
  ['annual_review', 'annual_review_plan_id_foreign', 'FOREIGN KEY (plan_id) REFERENCES ehc_plan(id) ON UPDATE CASCADE'],
  ['worker_allocation', 'worker_allocation_child_id_foreign', 'FOREIGN KEY (child_id) REFERENCES child(id) ON UPDATE CASCADE'],
  ['worker_allocation', 'worker_allocation_team_id_foreign', 'FOREIGN KEY (team_id) REFERENCES team(id) ON UPDATE CASCADE ON DELETE SET NULL'],
  ['worker_allocation', 'worker_allocation_caseworker_id_foreign', 'FOREIGN KEY (caseworker_id) REFERENCES caseworker(id) ON UPDATE CASCADE ON DELETE SET NULL'],
];

/** The tables whose rows make an area's records: a first load begins only while every one is empty. */
const RECORD_TABLES = ['child', 'ehcna_request', 'ehc_needs_assessment', 'ehc_plan', 'plan_placement', 'plan_sen_need', 'annual_review', 'worker_allocation'];

/** Whether any record is held: `EXISTS` of each table, cheap when they are empty or not. */
const held = RECORD_TABLES.map((t) => `EXISTS (SELECT 1 FROM ${t})`).join(' OR ');

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
const keys = `(VALUES ${FIRST_LOAD_FOREIGN_KEYS.map(([t, c, d]) => `(${quote(t)}, ${quote(c)}, ${quote(d)})`).join(',\n      ')}) fk(table_name, name, definition)`;

export const FIRST_LOAD_SQL = `
  CREATE TABLE casework_first_load (only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row));

  CREATE OR REPLACE FUNCTION casework_first_load_end() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp SET work_mem = '64MB' AS $fn$
  DECLARE
    k record;
  BEGIN
    FOR k IN SELECT * FROM ${keys}
      WHERE NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid = fk.table_name::regclass AND c.conname = fk.name)
    LOOP
      EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s', k.table_name, k.name, k.definition);
    END LOOP;
    DELETE FROM casework_first_load;
  END
  $fn$;

  CREATE OR REPLACE FUNCTION casework_first_load_begin() RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp SET lock_timeout = '1s' AS $fn$
  DECLARE
    k record;
  BEGIN
    BEGIN
      -- Held records: not a first load (asked before locking anything, the usual answer; a first load under
      -- way elsewhere holds the tables, and after a second so is this one).
      IF ${held} THEN RETURN false; END IF;
      LOCK TABLE ${RECORD_TABLES.join(', ')}, team, caseworker IN ACCESS EXCLUSIVE MODE;
      -- Asked again under the locks: a writer may have committed records meanwhile.
      IF ${held} THEN RAISE EXCEPTION USING ERRCODE = 'CWFL0'; END IF;
      IF EXISTS (SELECT 1 FROM ${keys}
                 WHERE NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid = fk.table_name::regclass AND c.conname = fk.name
                                   AND pg_get_constraintdef(c.oid) = fk.definition)) THEN
        RAISE EXCEPTION USING ERRCODE = 'CWFL0';
      END IF;
      FOR k IN SELECT * FROM ${keys} LOOP
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', k.table_name, k.name);
      END LOOP;
      INSERT INTO casework_first_load DEFAULT VALUES;
      RETURN true;
    EXCEPTION
      -- Everything this block took (its locks included) is given back; the keys stay as they are.
      WHEN lock_not_available OR deadlock_detected OR object_in_use OR SQLSTATE 'CWFL0' THEN RETURN false;
    END;
  END
  $fn$;

  CREATE OR REPLACE FUNCTION casework_first_load_guard() RETURNS trigger LANGUAGE plpgsql
  SET search_path = pg_catalog, public, pg_temp AS $fn$
  BEGIN
    PERFORM casework_first_load_end();
    RETURN NULL;
  END
  $fn$;

  CREATE CONSTRAINT TRIGGER casework_first_load_ends AFTER INSERT ON casework_first_load
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION casework_first_load_guard();
`;
