import { Migration } from '@mikro-orm/migrations';

/** Adds the sums by code and month of `rows` (their num and den already signed) into the area's totals. */
const addToArea = (rows: string) => `INSERT INTO casework_measure_month_area AS a (code, month, num, den)
      SELECT x.code, x.month, sum(x.num), sum(x.den) FROM (${rows}) x
      GROUP BY x.code, x.month ORDER BY x.code, x.month
      ON CONFLICT (code, month) DO UPDATE SET num = a.num + excluded.num, den = a.den + excluded.den`;

const KEY = 'code, month';

/**
 * The measure totals for the whole area, so that what a measure for the whole
 * area reads does not grow with the data (issue 15).
 *
 * casework_measure_month holds each code's sums per month, district and primary
 * need. A query for the whole area summed every district x need row of every
 * month: about 90 combinations, a third of them filled at Nottinghamshire's
 * volume (4,300 rows a code at scale 1) and nearly all at 30 times it (13,600), so
 * the request, assessment and plan codes read three times the rows and took up to
 * twice as long. Here the same sums per code and month over every district and
 * need: one row a month whatever the volume. A query filtered by district or
 * primary need still reads casework_measure_month (an eighth or less of a code's
 * rows, which cost 1.0-1.2x the CPU at scale 30): rollups per district and per need
 * cost the refresh at commit about eight times what this one does, for half a
 * millisecond a filtered query.
 *
 * Kept in step by statement triggers on casework_measure_month, from its
 * transition tables, in the same statement as each change to it: the refresh at
 * commit and the rebuild (measures/facts.ts) write that table unchanged and under
 * their advisory lock, so these rows are updated one refresh at a time, in key
 * order. Numeric sums are exact, so each row equals the sum of the rows it stands
 * for. A write here bumps casework_data_version like one to the totals (the
 * figure cache's rule for a table the measures read).
 */
export class Migration20261208000200_casework_measure_month_area extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
  CREATE TABLE casework_measure_month_area (
    code varchar(32) NOT NULL,
    month date NOT NULL,
    num numeric NOT NULL,
    den bigint NOT NULL,
    PRIMARY KEY (code, month)
  );
  INSERT INTO casework_measure_month_area (code, month, num, den)
    SELECT code, month, sum(num), sum(den) FROM casework_measure_month GROUP BY code, month;

  CREATE FUNCTION casework_measure_month_area_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      ${addToArea(`SELECT ${KEY}, num, den FROM new_rows`)};
    ELSIF TG_OP = 'UPDATE' THEN
      ${addToArea(`SELECT ${KEY}, num, den FROM new_rows UNION ALL SELECT ${KEY}, -num AS num, -den AS den FROM old_rows`)};
    ELSE
      ${addToArea(`SELECT ${KEY}, -num AS num, -den AS den FROM old_rows`)};
    END IF;
    RETURN NULL;
  END
  $fn$;
  CREATE TRIGGER casework_measure_month_area_insert AFTER INSERT ON casework_measure_month REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_month_area_apply();
  CREATE TRIGGER casework_measure_month_area_update AFTER UPDATE ON casework_measure_month REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_month_area_apply();
  CREATE TRIGGER casework_measure_month_area_delete AFTER DELETE ON casework_measure_month REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_month_area_apply();

  -- TRUNCATE has no rows to name; the totals are empty afterwards, so are the area's.
  CREATE FUNCTION casework_measure_month_area_truncated() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    DELETE FROM casework_measure_month_area;
    RETURN NULL;
  END
  $fn$;
  CREATE TRIGGER casework_measure_month_area_truncate AFTER TRUNCATE ON casework_measure_month
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_month_area_truncated();

  CREATE TRIGGER casework_measure_month_area_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON casework_measure_month_area
    FOR EACH STATEMENT EXECUTE FUNCTION casework_data_version_note();
`);
  }
}
