import { Migration } from '@mikro-orm/migrations';

/**
 * casework_refresh_planner_statistics(): analyses the casework tables whose planner
 * statistics no longer describe them (never analysed though holding rows, grown by
 * a fifth since, or a fifth of their rows changed), and returns how many it
 * analysed. The runtime login calls it before a SEN2 import's transaction: only a
 * table's owner may ANALYZE it, and autovacuum may not have got round to a table a
 * large import has just filled. Planned on the statistics of empty tables, a second
 * return of 100,000 people joined each chunk of 2,000 against whole tables (a hash
 * of 100,000 rows per statement) and read plans through their primary key, about
 * half of its time in PostgreSQL (`node dist/bench/sen2-import.js 100000`, the same
 * return again: 25.7 s before, 19.8 s after).
 */
export class Migration20261212000200_casework_planner_statistics extends Migration {
  override async up(): Promise<void> {
    this.addSql(PLANNER_STATISTICS_SQL);
  }
}

export const PLANNER_STATISTICS_SQL = `
  CREATE OR REPLACE FUNCTION casework_refresh_planner_statistics() RETURNS int LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp AS $fn$
  DECLARE
    t regclass;
    analysed int := 0;
  BEGIN
    FOR t IN
      SELECT c.oid::regclass FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
        AND c.relname IN ('child', 'ehcna_request', 'ehc_needs_assessment', 'ehc_plan', 'annual_review',
                          'plan_placement', 'plan_sen_need', 'worker_allocation', 'caseworker', 'team')
        AND ((c.reltuples < 0 AND pg_relation_size(c.oid) > 0)
          OR pg_relation_size(c.oid) / current_setting('block_size')::int > 1.2 * c.relpages + 8
          OR coalesce(s.n_mod_since_analyze, 0) > 0.2 * greatest(c.reltuples, 0) + 1000)
      ORDER BY c.relname
    LOOP
      EXECUTE format('ANALYZE %s', t);
      analysed := analysed + 1;
    END LOOP;
    RETURN analysed;
  END
  $fn$;
`;
