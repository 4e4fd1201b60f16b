import { Migration } from '@mikro-orm/migrations';

/**
 * The measure facts' rebuild derives them on parallel workers: into a new table, by
 * CREATE TABLE AS, which replaces the old one (measures/facts.ts, MEASURE_FACTS_REBUILD_SQL,
 * says why and how much; the derivation is written for it, FactForm `parallel`).
 * test/casework/measure-facts.test.ts compares the facts with those of the refresh
 * and checks that the table comes back as it was; the calibration tests the figures
 * with the reference catalogue, which derives them straight from the records.
 */
export class Migration20261215000100_casework_fact_rebuild_parallel extends Migration {
  override async up(): Promise<void> {
    this.addSql(MEASURE_FACTS_REBUILD_SQL);
  }
}

/** Frozen here: measures/facts.ts writes the same text today (test/casework/migrations.test.ts). */
export const MEASURE_FACTS_REBUILD_SQL = `
  CREATE OR REPLACE FUNCTION casework_rebuild_measure_facts() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp SET work_mem = '64MB' SET maintenance_work_mem = '256MB'
  SET parallel_tuple_cost = 0.001 SET min_parallel_table_scan_size = '1TB' SET min_parallel_index_scan_size = '1TB' AS $fn$
  DECLARE
    grants text[];
    g text;
  BEGIN
    PERFORM set_config('casework.defer_measure_facts', 'off', true);
    PERFORM pg_advisory_xact_lock(hashtext('casework_measure_month'));
    DELETE FROM casework_measure_month;
    DELETE FROM casework_measure_pending;
    SELECT array_agg(format('GRANT %s ON public.casework_child_measure_month TO %s%s', a.privilege_type,
                            CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END,
                            CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END))
      INTO grants
      FROM pg_class t, aclexplode(t.relacl) a
      WHERE t.oid = 'public.casework_child_measure_month'::regclass AND a.grantee <> t.relowner;
    CREATE TABLE public.casework_child_measure_month_next AS SELECT f.child_id, f.code::varchar(32) AS code, f.month, f.num, f.den, c.district, c.primary_need
      FROM (SELECT f.child_id, f.code, f.month, sum(f.num)::numeric AS num, sum(f.den)::bigint AS den FROM (SELECT n.child_id, 'EHC_20WK_EXCL' AS code, n.month, CASE WHEN n.days <= 140 THEN 1 ELSE 0 END::numeric AS num, 1 AS den
        FROM (SELECT e.child_id, ((e.issue_date) - (EXTRACT(DAY FROM (e.issue_date))::int - 1)) AS month, (e.issue_date - r.received_date) AS days, a.week20exception AS exception
      FROM ehc_plan e
      JOIN ehc_needs_assessment a ON a.id = e.assessment_id AND a.outcome <> 'H'
      JOIN ehcna_request r ON r.id = a.request_id
      WHERE true) n WHERE NOT n.exception) f(child_id, code, month, num, den) GROUP BY 1, 2, 3
    UNION ALL
    SELECT f.child_id, f.code, f.month, sum(f.num)::numeric AS num, sum(f.den)::bigint AS den FROM (SELECT n.child_id, 'EHC_20WK_INCL', n.month, CASE WHEN n.days <= 140 THEN 1 ELSE 0 END, 1 FROM (SELECT e.child_id, ((e.issue_date) - (EXTRACT(DAY FROM (e.issue_date))::int - 1)) AS month, (e.issue_date - r.received_date) AS days, a.week20exception AS exception
      FROM ehc_plan e
      JOIN ehc_needs_assessment a ON a.id = e.assessment_id AND a.outcome <> 'H'
      JOIN ehcna_request r ON r.id = a.request_id
      WHERE true) n) f(child_id, code, month, num, den) GROUP BY 1, 2, 3
    UNION ALL
    SELECT f.child_id, f.code, f.month, sum(f.num)::numeric AS num, sum(f.den)::bigint AS den FROM (SELECT n.child_id, 'EHC_MEAN_WEEKS', n.month, n.days / 7.0, 1 FROM (SELECT e.child_id, ((e.issue_date) - (EXTRACT(DAY FROM (e.issue_date))::int - 1)) AS month, (e.issue_date - r.received_date) AS days, a.week20exception AS exception
      FROM ehc_plan e
      JOIN ehc_needs_assessment a ON a.id = e.assessment_id AND a.outcome <> 'H'
      JOIN ehcna_request r ON r.id = a.request_id
      WHERE true) n) f(child_id, code, month, num, den) GROUP BY 1, 2, 3
    UNION ALL
    SELECT f.child_id, f.code, f.month, sum(f.num)::numeric AS num, sum(f.den)::bigint AS den FROM (SELECT q.child_id, 'EHCNA_REQUESTS', ((q.received_date) - (EXTRACT(DAY FROM (q.received_date))::int - 1)), 1, 0 FROM ehcna_request q WHERE true) f(child_id, code, month, num, den) GROUP BY 1, 2, 3
    UNION ALL
    SELECT f.child_id, f.code, f.month, sum(f.num)::numeric AS num, sum(f.den)::bigint AS den FROM (SELECT q.child_id, 'EHCNA_DECISION_6WK', ((q.outcome_date) - (EXTRACT(DAY FROM (q.outcome_date))::int - 1)), CASE WHEN q.outcome_date - q.received_date <= 42 THEN 1 ELSE 0 END, 1
        FROM ehcna_request q WHERE q.outcome IN ('Y', 'N') AND q.outcome_date IS NOT NULL AND true) f(child_id, code, month, num, den) GROUP BY 1, 2, 3
    UNION ALL
    SELECT f.child_id, f.code, f.month, sum(f.num)::numeric AS num, sum(f.den)::bigint AS den FROM (SELECT a.child_id, 'EP_ADVICE_6WK', ((a.ep_advice_returned_date) - (EXTRACT(DAY FROM (a.ep_advice_returned_date))::int - 1)), CASE WHEN a.ep_advice_returned_date - a.ep_advice_asked_date <= 42 THEN 1 ELSE 0 END, 1
        FROM ehc_needs_assessment a WHERE a.ep_advice_asked_date IS NOT NULL AND a.ep_advice_returned_date IS NOT NULL AND true) f(child_id, code, month, num, den) GROUP BY 1, 2, 3
    UNION ALL
    SELECT f.child_id, f.code, f.month, sum(f.num)::numeric AS num, sum(f.den)::bigint AS den FROM (SELECT e.child_id, 'AR_DECISION_4WK', ((v.decision_date) - (EXTRACT(DAY FROM (v.decision_date))::int - 1)), CASE WHEN v.decision_date - v.meeting_date <= 28 THEN 1 ELSE 0 END, 1
        FROM annual_review v JOIN ehc_plan e ON e.id = v.plan_id
        WHERE v.meeting_date IS NOT NULL AND v.decision_date IS NOT NULL AND true) f(child_id, code, month, num, den) GROUP BY 1, 2, 3
    UNION ALL
    SELECT f.child_id, f.code, f.month, sum(f.num)::numeric AS num, sum(f.den)::bigint AS den FROM (SELECT s.child_id, 'AR_OVERDUE' AS code,
        ((CASE WHEN d.sign = 1 THEN lower(s.span) ELSE upper(s.span) END) - (EXTRACT(DAY FROM (CASE WHEN d.sign = 1 THEN lower(s.span) ELSE upper(s.span) END))::int - 1)) AS month, d.sign::numeric AS num, 0 AS den
      FROM (SELECT p.child_id, daterange((GREATEST(p.earlier, p.issue_date) + interval '12 months')::date + 1, p.until, '[)') * p.span AS span
      FROM (SELECT m.child_id, m.issue_date, m.span,
                   unnest(ARRAY[NULL::date] || m.meetings) AS earlier, unnest(m.meetings || ARRAY[NULL::date]) AS until
            FROM (SELECT e.child_id, e.issue_date, daterange(e.issue_date, CASE WHEN e.cease_date IS NOT NULL THEN GREATEST(e.cease_date, e.issue_date) END, '[)') AS span,
                         coalesce(array_agg(DISTINCT v.meeting_date ORDER BY v.meeting_date) FILTER (WHERE v.meeting_date IS NOT NULL), '{}') AS meetings
                  FROM ehc_plan e LEFT JOIN annual_review v ON v.plan_id = e.id
                  WHERE true
                  GROUP BY e.id) m) p
      WHERE p.until IS NULL OR p.until > (GREATEST(p.earlier, p.issue_date) + interval '12 months')::date + 1) s CROSS JOIN (VALUES (1), (-1)) d(sign)
      WHERE NOT isempty(s.span) AND (d.sign = 1 OR NOT upper_inf(s.span))) f(child_id, code, month, num, den) GROUP BY 1, 2, 3
    UNION ALL
    SELECT f.child_id, f.code, f.month, sum(f.num)::numeric AS num, sum(f.den)::bigint AS den FROM (SELECT s.child_id, 'PLANS_ACTIVE' AS code,
        ((CASE WHEN d.sign = 1 THEN lower(s.span) ELSE upper(s.span) END) - (EXTRACT(DAY FROM (CASE WHEN d.sign = 1 THEN lower(s.span) ELSE upper(s.span) END))::int - 1)) AS month, d.sign::numeric AS num, 0 AS den
      FROM (SELECT pa.child_id, pa.span FROM (SELECT e.id, e.child_id, e.issue_date,
        daterange(e.issue_date, CASE WHEN e.cease_date IS NOT NULL THEN GREATEST(e.cease_date, e.issue_date) END, '[)') AS span
      FROM ehc_plan e WHERE true) pa) s CROSS JOIN (VALUES (1), (-1)) d(sign)
      WHERE NOT isempty(s.span) AND (d.sign = 1 OR NOT upper_inf(s.span))) f(child_id, code, month, num, den) GROUP BY 1, 2, 3
    UNION ALL
    SELECT f.child_id, f.code, f.month, sum(f.num)::numeric AS num, sum(f.den)::bigint AS den FROM (SELECT s.child_id, 'PLANS_NO_ALLOCATED_WORKER' AS code,
        ((CASE WHEN d.sign = 1 THEN lower(s.span) ELSE upper(s.span) END) - (EXTRACT(DAY FROM (CASE WHEN d.sign = 1 THEN lower(s.span) ELSE upper(s.span) END))::int - 1)) AS month, d.sign::numeric AS num, 0 AS den
      FROM (SELECT pa.child_id, unnest(multirange(pa.span) - coalesce(cover.days, '{}'::datemultirange)) AS span
      FROM (SELECT e.id, e.child_id, e.issue_date,
        daterange(e.issue_date, CASE WHEN e.cease_date IS NOT NULL THEN GREATEST(e.cease_date, e.issue_date) END, '[)') AS span
      FROM ehc_plan e WHERE true) pa
      LEFT JOIN (SELECT w.child_id, range_agg(daterange(w.start_date, w.end_date, '[]')) AS days FROM worker_allocation w
                 WHERE w.caseworker_id IS NOT NULL AND (w.end_date IS NULL OR w.end_date >= w.start_date) AND true
                 GROUP BY w.child_id) cover ON cover.child_id = pa.child_id) s CROSS JOIN (VALUES (1), (-1)) d(sign)
      WHERE NOT isempty(s.span) AND (d.sign = 1 OR NOT upper_inf(s.span))) f(child_id, code, month, num, den) GROUP BY 1, 2, 3) f JOIN child c ON c.id = f.child_id;
    DROP TABLE public.casework_child_measure_month;
    ALTER TABLE public.casework_child_measure_month_next RENAME TO casework_child_measure_month;
    -- The key and the totals read the new table whole: a scan may be shared among workers again.
    SET LOCAL min_parallel_table_scan_size TO DEFAULT;
    ALTER TABLE public.casework_child_measure_month ALTER COLUMN num SET NOT NULL, ALTER COLUMN den SET NOT NULL,
      ADD CONSTRAINT casework_child_measure_month_pkey PRIMARY KEY (child_id, code, month);
    FOREACH g IN ARRAY coalesce(grants, '{}') LOOP
      EXECUTE g;
    END LOOP;
    CREATE TEMP TABLE casework_measure_month_sums ON COMMIT DROP AS
      SELECT code, month, district, primary_need, sum(num) AS num, sum(den) AS den FROM public.casework_child_measure_month GROUP BY 1, 2, 3, 4;
    INSERT INTO casework_measure_month (code, month, district, primary_need, num, den)
      SELECT code, month, district, primary_need, num, den FROM pg_temp.casework_measure_month_sums ORDER BY 1, 2, 3, 4;
    DROP TABLE pg_temp.casework_measure_month_sums;
  END
  $fn$;
`;
