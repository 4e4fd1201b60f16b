import { Migration } from '@mikro-orm/migrations';

/**
 * The measure facts' rebuild truncates the children's old facts instead of deleting
 * them row by row (measures/facts.ts, MEASURE_FACTS_REBUILD_SQL, says why that is
 * safe): a later SEN2 return of 100,000 children logged a record for each of their
 * 925,000 old facts and left as many dead rows. The same facts:
 * test/casework/measure-facts.test.ts compares them with a rebuild from scratch.
 */
export class Migration20261211000300_casework_fact_rebuild_truncate extends Migration {
  override async up(): Promise<void> {
    this.addSql(MEASURE_FACTS_REBUILD_SQL);
  }
}

/** Frozen here, as installed then; Migration20261213000100_casework_fact_branch_sums installs today's. */
export const MEASURE_FACTS_REBUILD_SQL = `
  CREATE OR REPLACE FUNCTION casework_rebuild_measure_facts() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp SET work_mem = '64MB' SET maintenance_work_mem = '256MB' AS $fn$
  BEGIN
    PERFORM set_config('casework.defer_measure_facts', 'off', true);
    PERFORM pg_advisory_xact_lock(hashtext('casework_measure_month'));
    TRUNCATE casework_child_measure_month;
    DELETE FROM casework_measure_month;
    DELETE FROM casework_measure_pending;
    ALTER TABLE casework_child_measure_month DROP CONSTRAINT casework_child_measure_month_pkey;
    INSERT INTO casework_child_measure_month (child_id, code, month, num, den, district, primary_need) SELECT f.child_id, f.code, f.month, f.num, f.den, c.district, c.primary_need FROM (WITH plans AS MATERIALIZED (SELECT e.id, e.child_id, e.issue_date,
        daterange(e.issue_date, CASE WHEN e.cease_date IS NOT NULL THEN GREATEST(e.cease_date, e.issue_date) END, '[)') AS span
      FROM ehc_plan e WHERE true),
    new_plans AS MATERIALIZED (SELECT e.child_id, ((e.issue_date) - (EXTRACT(DAY FROM (e.issue_date))::int - 1)) AS month, (e.issue_date - r.received_date) AS days, a.week20exception AS exception
      FROM ehc_plan e
      JOIN ehc_needs_assessment a ON a.id = e.assessment_id AND a.outcome <> 'H'
      JOIN ehcna_request r ON r.id = a.request_id
      WHERE true)
    SELECT f.child_id, f.code, f.month, sum(f.num) AS num, sum(f.den)::bigint AS den FROM (
      SELECT n.child_id, 'EHC_20WK_EXCL' AS code, n.month, CASE WHEN n.days <= 140 THEN 1 ELSE 0 END::numeric AS num, 1 AS den
        FROM new_plans n WHERE NOT n.exception
      UNION ALL
      SELECT n.child_id, 'EHC_20WK_INCL', n.month, CASE WHEN n.days <= 140 THEN 1 ELSE 0 END, 1 FROM new_plans n
      UNION ALL
      SELECT n.child_id, 'EHC_MEAN_WEEKS', n.month, n.days / 7.0, 1 FROM new_plans n
      UNION ALL
      SELECT q.child_id, 'EHCNA_REQUESTS', ((q.received_date) - (EXTRACT(DAY FROM (q.received_date))::int - 1)), 1, 0 FROM ehcna_request q WHERE true
      UNION ALL
      SELECT q.child_id, 'EHCNA_DECISION_6WK', ((q.outcome_date) - (EXTRACT(DAY FROM (q.outcome_date))::int - 1)), CASE WHEN q.outcome_date - q.received_date <= 42 THEN 1 ELSE 0 END, 1
        FROM ehcna_request q WHERE q.outcome IN ('Y', 'N') AND q.outcome_date IS NOT NULL AND true
      UNION ALL
      SELECT a.child_id, 'EP_ADVICE_6WK', ((a.ep_advice_returned_date) - (EXTRACT(DAY FROM (a.ep_advice_returned_date))::int - 1)), CASE WHEN a.ep_advice_returned_date - a.ep_advice_asked_date <= 42 THEN 1 ELSE 0 END, 1
        FROM ehc_needs_assessment a WHERE a.ep_advice_asked_date IS NOT NULL AND a.ep_advice_returned_date IS NOT NULL AND true
      UNION ALL
      SELECT e.child_id, 'AR_DECISION_4WK', ((v.decision_date) - (EXTRACT(DAY FROM (v.decision_date))::int - 1)), CASE WHEN v.decision_date - v.meeting_date <= 28 THEN 1 ELSE 0 END, 1
        FROM annual_review v JOIN ehc_plan e ON e.id = v.plan_id
        WHERE v.meeting_date IS NOT NULL AND v.decision_date IS NOT NULL AND true
      UNION ALL
      SELECT s.child_id, 'AR_OVERDUE' AS code,
        ((CASE WHEN d.sign = 1 THEN lower(s.span) ELSE upper(s.span) END) - (EXTRACT(DAY FROM (CASE WHEN d.sign = 1 THEN lower(s.span) ELSE upper(s.span) END))::int - 1)) AS month, d.sign::numeric AS num, 0 AS den
      FROM (SELECT pa.child_id, o.days * pa.span AS span FROM (SELECT g.plan_id, daterange((g.since + interval '12 months')::date + 1, g.until, '[)') AS days
      FROM (SELECT m.plan_id, GREATEST(lag(m.meeting) OVER w, m.issue_date) AS since, m.meeting AS until
            FROM (SELECT DISTINCT v.plan_id, e.issue_date, v.meeting_date AS meeting
                  FROM annual_review v JOIN ehc_plan e ON e.id = v.plan_id
                  WHERE v.meeting_date IS NOT NULL AND true) m
            WINDOW w AS (PARTITION BY m.plan_id ORDER BY m.meeting)) g
      WHERE g.until > (g.since + interval '12 months')::date + 1
      UNION ALL
      SELECT e.id, daterange((GREATEST(max(v.meeting_date), e.issue_date) + interval '12 months')::date + 1, NULL, '[)')
      FROM ehc_plan e LEFT JOIN annual_review v ON v.plan_id = e.id
      WHERE true
      GROUP BY e.id, e.issue_date) o JOIN plans pa ON pa.id = o.plan_id) s CROSS JOIN (VALUES (1), (-1)) d(sign)
      WHERE NOT isempty(s.span) AND (d.sign = 1 OR NOT upper_inf(s.span))
      UNION ALL
      SELECT s.child_id, 'PLANS_ACTIVE' AS code,
        ((CASE WHEN d.sign = 1 THEN lower(s.span) ELSE upper(s.span) END) - (EXTRACT(DAY FROM (CASE WHEN d.sign = 1 THEN lower(s.span) ELSE upper(s.span) END))::int - 1)) AS month, d.sign::numeric AS num, 0 AS den
      FROM (SELECT pa.child_id, pa.span FROM plans pa) s CROSS JOIN (VALUES (1), (-1)) d(sign)
      WHERE NOT isempty(s.span) AND (d.sign = 1 OR NOT upper_inf(s.span))
      UNION ALL
      SELECT s.child_id, 'PLANS_NO_ALLOCATED_WORKER' AS code,
        ((CASE WHEN d.sign = 1 THEN lower(s.span) ELSE upper(s.span) END) - (EXTRACT(DAY FROM (CASE WHEN d.sign = 1 THEN lower(s.span) ELSE upper(s.span) END))::int - 1)) AS month, d.sign::numeric AS num, 0 AS den
      FROM (SELECT pa.child_id, unnest(multirange(pa.span) - coalesce(cover.days, '{}'::datemultirange)) AS span
      FROM plans pa
      LEFT JOIN (SELECT w.child_id, range_agg(daterange(w.start_date, w.end_date, '[]')) AS days FROM worker_allocation w
                 WHERE w.caseworker_id IS NOT NULL AND (w.end_date IS NULL OR w.end_date >= w.start_date) AND true
                 GROUP BY w.child_id) cover ON cover.child_id = pa.child_id) s CROSS JOIN (VALUES (1), (-1)) d(sign)
      WHERE NOT isempty(s.span) AND (d.sign = 1 OR NOT upper_inf(s.span))
    ) f GROUP BY 1, 2, 3) f JOIN child c ON c.id = f.child_id;
    ALTER TABLE casework_child_measure_month ADD CONSTRAINT casework_child_measure_month_pkey PRIMARY KEY (child_id, code, month);
    INSERT INTO casework_measure_month (code, month, district, primary_need, num, den)
      SELECT code, month, district, primary_need, sum(num), sum(den) FROM casework_child_measure_month WHERE true
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (code, month, district, primary_need)
      DO UPDATE SET num = casework_measure_month.num + excluded.num, den = casework_measure_month.den + excluded.den;
  END
  $fn$;
`;
