import { Migration } from '@mikro-orm/migrations';

/** The rollup rows (code, scope, district, primary_need, month, num, den) of a set of casework_measure_month rows. */
const rollupOf = (rows: string) => `SELECT x.code,
        CASE WHEN GROUPING(x.district) = 0 THEN 'DISTRICT' WHEN GROUPING(x.primary_need) = 0 THEN 'PRIMARY_NEED' ELSE 'AREA' END,
        x.district, x.primary_need, x.month, sum(x.num), sum(x.den)
      FROM (${rows}) x
      GROUP BY GROUPING SETS ((x.code, x.month), (x.code, x.month, x.district), (x.code, x.month, x.primary_need))`;

/** Adds the rollup of `rows` (their num and den already signed) into the table. */
const addRollup = (rows: string) => `INSERT INTO casework_measure_month_rollup AS r (code, scope, district, primary_need, month, num, den)
      ${rollupOf(rows)}
      ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT (code, scope, district, primary_need, month)
      DO UPDATE SET num = r.num + excluded.num, den = r.den + excluded.den`;

const COLUMNS = 'code, month, district, primary_need';

/**
 * The measure totals summed over the filters a query leaves out, so that what a
 * measure reads does not grow with the data (issue 15).
 *
 * casework_measure_month holds each code's sums per month, district and primary
 * need. A query for the whole area summed every district x need row of every
 * month: about 90 combinations, few of them filled at Nottinghamshire's volume
 * (4,300 rows a code at scale 1) and nearly all at 30 times it (2-3 times as
 * many), so the request and plan codes took up to twice as long. Here the same
 * sums per month for the whole area (scope AREA), per district (DISTRICT: the
 * need left out) and per primary need (PRIMARY_NEED: the district left out): a
 * query with at most one filter reads one row a month, whatever the volume; one
 * with both reads casework_measure_month as before (one row a month too).
 *
 * Kept in step by statement triggers on casework_measure_month, from its
 * transition tables, in the same statement as each change to it: the refresh at
 * commit and the rebuild (measures/facts.ts) write it unchanged and under their
 * advisory lock, so the rollup is updated one refresh at a time, in key order.
 * Numeric sums are exact, so these rows equal the sums of the rows they stand for.
 * A write here bumps casework_data_version like one to the totals (the figure
 * cache's rule for a table the measures read).
 */
export class Migration20261208000200_casework_measure_rollup extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
  CREATE TABLE casework_measure_month_rollup (
    code varchar(32) NOT NULL,
    scope varchar(12) NOT NULL,
    district varchar(255) NULL,
    primary_need varchar(4) NULL,
    month date NOT NULL,
    num numeric NOT NULL,
    den bigint NOT NULL,
    CONSTRAINT casework_measure_month_rollup_scope CHECK (
      (scope = 'AREA' AND district IS NULL AND primary_need IS NULL)
      OR (scope = 'DISTRICT' AND primary_need IS NULL)
      OR (scope = 'PRIMARY_NEED' AND district IS NULL)),
    -- A query reads one code, scope and filter value, every month in order.
    CONSTRAINT casework_measure_month_rollup_key UNIQUE NULLS NOT DISTINCT (code, scope, district, primary_need, month)
  );
  INSERT INTO casework_measure_month_rollup (code, scope, district, primary_need, month, num, den)
    ${rollupOf(`SELECT ${COLUMNS}, num, den FROM casework_measure_month`)};

  CREATE FUNCTION casework_measure_month_rollup_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      ${addRollup(`SELECT ${COLUMNS}, num, den FROM new_rows`)};
    ELSIF TG_OP = 'UPDATE' THEN
      ${addRollup(`SELECT ${COLUMNS}, num, den FROM new_rows UNION ALL SELECT ${COLUMNS}, -num AS num, -den AS den FROM old_rows`)};
    ELSE
      ${addRollup(`SELECT ${COLUMNS}, -num AS num, -den AS den FROM old_rows`)};
    END IF;
    RETURN NULL;
  END
  $fn$;
  CREATE TRIGGER casework_measure_month_rollup_insert AFTER INSERT ON casework_measure_month REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_month_rollup_apply();
  CREATE TRIGGER casework_measure_month_rollup_update AFTER UPDATE ON casework_measure_month REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_month_rollup_apply();
  CREATE TRIGGER casework_measure_month_rollup_delete AFTER DELETE ON casework_measure_month REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_month_rollup_apply();

  -- TRUNCATE has no rows to name; the totals are empty afterwards, so is their rollup.
  CREATE FUNCTION casework_measure_month_rollup_truncated() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    DELETE FROM casework_measure_month_rollup;
    RETURN NULL;
  END
  $fn$;
  CREATE TRIGGER casework_measure_month_rollup_truncate AFTER TRUNCATE ON casework_measure_month
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_month_rollup_truncated();

  CREATE TRIGGER casework_measure_month_rollup_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON casework_measure_month_rollup
    FOR EACH STATEMENT EXECUTE FUNCTION casework_data_version_note();
`);
  }
}
