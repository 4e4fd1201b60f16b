import { Migration } from '@mikro-orm/migrations';

/**
 * The measure facts' refresh at commit and rebuild sum each code's rows on their own
 * (measures/facts.ts, FactGrouping, says why and how much: `node dist/bench/casework-measures.js 5`
 * rebuilds them in 4.4-4.5 s against 5.0-5.1 s). test/casework/measure-facts.test.ts compares
 * them with a rebuild from scratch, and the calibration tests the figures with the
 * reference catalogue, which derives them straight from the records.
 */
export class Migration20261213000100_casework_fact_branch_sums extends Migration {
  override async up(): Promise<void> {
    this.addSql(MEASURE_FACTS_REFRESH_SQL);
    this.addSql(MEASURE_FACTS_REBUILD_SQL);
  }
}

/** Frozen here: measures/facts.ts writes the same text today (test/casework/migrations.test.ts). */
export const MEASURE_FACTS_REFRESH_SQL = `
  CREATE OR REPLACE FUNCTION casework_refresh_measure_facts(ids uuid[]) RETURNS void LANGUAGE plpgsql
  SET plan_cache_mode = force_custom_plan SET work_mem = '64MB' AS $fn$
  BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
    -- One refresh at a time (held to commit, which follows at once): writers committing together would
    -- otherwise lock shared total rows in different orders and could deadlock.
    PERFORM pg_advisory_xact_lock(hashtext('casework_measure_month'));
    IF cardinality(ids) >= 5000 AND cardinality(ids) >= 0.6 * (SELECT count(*) FROM child) THEN
      PERFORM casework_rebuild_measure_facts();
      RETURN;
    END IF;
    WITH fresh AS MATERIALIZED (SELECT f.child_id, f.code, f.month, f.num, f.den, c.district, c.primary_need FROM (WITH plans AS MATERIALIZED (SELECT e.id, e.child_id, e.issue_date,
        daterange(e.issue_date, CASE WHEN e.cease_date IS NOT NULL THEN GREATEST(e.cease_date, e.issue_date) END, '[)') AS span
      FROM ehc_plan e WHERE e.child_id = ANY(ids)),
    new_plans AS MATERIALIZED (SELECT e.child_id, ((e.issue_date) - (EXTRACT(DAY FROM (e.issue_date))::int - 1)) AS month, (e.issue_date - r.received_date) AS days, a.week20exception AS exception
      FROM ehc_plan e
      JOIN ehc_needs_assessment a ON a.id = e.assessment_id AND a.outcome <> 'H'
      JOIN ehcna_request r ON r.id = a.request_id
      WHERE e.child_id = ANY(ids))
    SELECT f.child_id, f.code, f.month, sum(f.num) AS num, sum(f.den)::bigint AS den FROM (SELECT n.child_id, 'EHC_20WK_EXCL' AS code, n.month, CASE WHEN n.days <= 140 THEN 1 ELSE 0 END::numeric AS num, 1 AS den
        FROM new_plans n WHERE NOT n.exception) f(child_id, code, month, num, den) GROUP BY 1, 2, 3
    UNION ALL
    SELECT f.child_id, f.code, f.month, sum(f.num) AS num, sum(f.den)::bigint AS den FROM (SELECT n.child_id, 'EHC_20WK_INCL', n.month, CASE WHEN n.days <= 140 THEN 1 ELSE 0 END, 1 FROM new_plans n) f(child_id, code, month, num, den) GROUP BY 1, 2, 3
    UNION ALL
    SELECT f.child_id, f.code, f.month, sum(f.num) AS num, sum(f.den)::bigint AS den FROM (SELECT n.child_id, 'EHC_MEAN_WEEKS', n.month, n.days / 7.0, 1 FROM new_plans n) f(child_id, code, month, num, den) GROUP BY 1, 2, 3
    UNION ALL
    SELECT f.child_id, f.code, f.month, sum(f.num) AS num, sum(f.den)::bigint AS den FROM (SELECT q.child_id, 'EHCNA_REQUESTS', ((q.received_date) - (EXTRACT(DAY FROM (q.received_date))::int - 1)), 1, 0 FROM ehcna_request q WHERE q.child_id = ANY(ids)) f(child_id, code, month, num, den) GROUP BY 1, 2, 3
    UNION ALL
    SELECT f.child_id, f.code, f.month, sum(f.num) AS num, sum(f.den)::bigint AS den FROM (SELECT q.child_id, 'EHCNA_DECISION_6WK', ((q.outcome_date) - (EXTRACT(DAY FROM (q.outcome_date))::int - 1)), CASE WHEN q.outcome_date - q.received_date <= 42 THEN 1 ELSE 0 END, 1
        FROM ehcna_request q WHERE q.outcome IN ('Y', 'N') AND q.outcome_date IS NOT NULL AND q.child_id = ANY(ids)) f(child_id, code, month, num, den) GROUP BY 1, 2, 3
    UNION ALL
    SELECT f.child_id, f.code, f.month, sum(f.num) AS num, sum(f.den)::bigint AS den FROM (SELECT a.child_id, 'EP_ADVICE_6WK', ((a.ep_advice_returned_date) - (EXTRACT(DAY FROM (a.ep_advice_returned_date))::int - 1)), CASE WHEN a.ep_advice_returned_date - a.ep_advice_asked_date <= 42 THEN 1 ELSE 0 END, 1
        FROM ehc_needs_assessment a WHERE a.ep_advice_asked_date IS NOT NULL AND a.ep_advice_returned_date IS NOT NULL AND a.child_id = ANY(ids)) f(child_id, code, month, num, den) GROUP BY 1, 2, 3
    UNION ALL
    SELECT f.child_id, f.code, f.month, sum(f.num) AS num, sum(f.den)::bigint AS den FROM (SELECT e.child_id, 'AR_DECISION_4WK', ((v.decision_date) - (EXTRACT(DAY FROM (v.decision_date))::int - 1)), CASE WHEN v.decision_date - v.meeting_date <= 28 THEN 1 ELSE 0 END, 1
        FROM annual_review v JOIN ehc_plan e ON e.id = v.plan_id
        WHERE v.meeting_date IS NOT NULL AND v.decision_date IS NOT NULL AND e.child_id = ANY(ids)) f(child_id, code, month, num, den) GROUP BY 1, 2, 3
    UNION ALL
    SELECT f.child_id, f.code, f.month, sum(f.num) AS num, sum(f.den)::bigint AS den FROM (SELECT s.child_id, 'AR_OVERDUE' AS code,
        ((CASE WHEN d.sign = 1 THEN lower(s.span) ELSE upper(s.span) END) - (EXTRACT(DAY FROM (CASE WHEN d.sign = 1 THEN lower(s.span) ELSE upper(s.span) END))::int - 1)) AS month, d.sign::numeric AS num, 0 AS den
      FROM (SELECT pa.child_id, o.days * pa.span AS span FROM (SELECT g.plan_id, daterange((g.since + interval '12 months')::date + 1, g.until, '[)') AS days
      FROM (SELECT m.plan_id, GREATEST(lag(m.meeting) OVER w, m.issue_date) AS since, m.meeting AS until
            FROM (SELECT DISTINCT v.plan_id, e.issue_date, v.meeting_date AS meeting
                  FROM annual_review v JOIN ehc_plan e ON e.id = v.plan_id
                  WHERE v.meeting_date IS NOT NULL AND e.child_id = ANY(ids)) m
            WINDOW w AS (PARTITION BY m.plan_id ORDER BY m.meeting)) g
      WHERE g.until > (g.since + interval '12 months')::date + 1
      UNION ALL
      SELECT e.id, daterange((GREATEST(max(v.meeting_date), e.issue_date) + interval '12 months')::date + 1, NULL, '[)')
      FROM ehc_plan e LEFT JOIN annual_review v ON v.plan_id = e.id
      WHERE e.child_id = ANY(ids)
      GROUP BY e.id, e.issue_date) o JOIN plans pa ON pa.id = o.plan_id) s CROSS JOIN (VALUES (1), (-1)) d(sign)
      WHERE NOT isempty(s.span) AND (d.sign = 1 OR NOT upper_inf(s.span))) f(child_id, code, month, num, den) GROUP BY 1, 2, 3
    UNION ALL
    SELECT f.child_id, f.code, f.month, sum(f.num) AS num, sum(f.den)::bigint AS den FROM (SELECT s.child_id, 'PLANS_ACTIVE' AS code,
        ((CASE WHEN d.sign = 1 THEN lower(s.span) ELSE upper(s.span) END) - (EXTRACT(DAY FROM (CASE WHEN d.sign = 1 THEN lower(s.span) ELSE upper(s.span) END))::int - 1)) AS month, d.sign::numeric AS num, 0 AS den
      FROM (SELECT pa.child_id, pa.span FROM plans pa) s CROSS JOIN (VALUES (1), (-1)) d(sign)
      WHERE NOT isempty(s.span) AND (d.sign = 1 OR NOT upper_inf(s.span))) f(child_id, code, month, num, den) GROUP BY 1, 2, 3
    UNION ALL
    SELECT f.child_id, f.code, f.month, sum(f.num) AS num, sum(f.den)::bigint AS den FROM (SELECT s.child_id, 'PLANS_NO_ALLOCATED_WORKER' AS code,
        ((CASE WHEN d.sign = 1 THEN lower(s.span) ELSE upper(s.span) END) - (EXTRACT(DAY FROM (CASE WHEN d.sign = 1 THEN lower(s.span) ELSE upper(s.span) END))::int - 1)) AS month, d.sign::numeric AS num, 0 AS den
      FROM (SELECT pa.child_id, unnest(multirange(pa.span) - coalesce(cover.days, '{}'::datemultirange)) AS span
      FROM plans pa
      LEFT JOIN (SELECT w.child_id, range_agg(daterange(w.start_date, w.end_date, '[]')) AS days FROM worker_allocation w
                 WHERE w.caseworker_id IS NOT NULL AND (w.end_date IS NULL OR w.end_date >= w.start_date) AND w.child_id = ANY(ids)
                 GROUP BY w.child_id) cover ON cover.child_id = pa.child_id) s CROSS JOIN (VALUES (1), (-1)) d(sign)
      WHERE NOT isempty(s.span) AND (d.sign = 1 OR NOT upper_inf(s.span))) f(child_id, code, month, num, den) GROUP BY 1, 2, 3) f JOIN child c ON c.id = f.child_id AND c.id = ANY(ids)),
         held AS MATERIALIZED (SELECT child_id, code, month, num, den, district, primary_need FROM casework_child_measure_month WHERE child_id = ANY(ids)),
         -- Each fact that differs: new values (n) where one is derived now, old (o) where one was held.
         diff AS MATERIALIZED (
           SELECT coalesce(n.child_id, o.child_id) AS child_id, coalesce(n.code, o.code) AS code, coalesce(n.month, o.month) AS month,
                  n.child_id IS NOT NULL AS derived, o.child_id IS NOT NULL AS was_held,
                  n.num, n.den, n.district, n.primary_need, o.num AS old_num, o.den AS old_den, o.district AS old_district, o.primary_need AS old_primary_need
           FROM fresh n FULL JOIN held o ON o.child_id = n.child_id AND o.code = n.code AND o.month = n.month
           WHERE (n.num, n.den, n.district, n.primary_need) IS DISTINCT FROM (o.num, o.den, o.district, o.primary_need)),
         gone AS (DELETE FROM casework_child_measure_month f USING diff d
                  WHERE NOT d.derived AND f.child_id = d.child_id AND f.code = d.code AND f.month = d.month),
         changed AS (UPDATE casework_child_measure_month f SET num = d.num, den = d.den, district = d.district, primary_need = d.primary_need
                     FROM diff d WHERE d.derived AND d.was_held AND f.child_id = d.child_id AND f.code = d.code AND f.month = d.month),
         added AS (INSERT INTO casework_child_measure_month (child_id, code, month, num, den, district, primary_need)
                   SELECT child_id, code, month, num, den, district, primary_need FROM diff WHERE derived AND NOT was_held)
    INSERT INTO casework_measure_month (code, month, district, primary_need, num, den)
      SELECT code, month, district, primary_need, sum(num), sum(den) FROM (
        SELECT code, month, district, primary_need, num, den FROM diff WHERE derived
        UNION ALL
        SELECT code, month, old_district, old_primary_need, -old_num, -old_den FROM diff WHERE was_held) x
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (code, month, district, primary_need)
      DO UPDATE SET num = casework_measure_month.num + excluded.num, den = casework_measure_month.den + excluded.den;
  END
  $fn$;
`;

/** Frozen here: measures/facts.ts writes the same text today (test/casework/migrations.test.ts). */
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
    SELECT f.child_id, f.code, f.month, sum(f.num) AS num, sum(f.den)::bigint AS den FROM (SELECT n.child_id, 'EHC_20WK_EXCL' AS code, n.month, CASE WHEN n.days <= 140 THEN 1 ELSE 0 END::numeric AS num, 1 AS den
        FROM new_plans n WHERE NOT n.exception) f(child_id, code, month, num, den) GROUP BY 1, 2, 3
    UNION ALL
    SELECT f.child_id, f.code, f.month, sum(f.num) AS num, sum(f.den)::bigint AS den FROM (SELECT n.child_id, 'EHC_20WK_INCL', n.month, CASE WHEN n.days <= 140 THEN 1 ELSE 0 END, 1 FROM new_plans n) f(child_id, code, month, num, den) GROUP BY 1, 2, 3
    UNION ALL
    SELECT f.child_id, f.code, f.month, sum(f.num) AS num, sum(f.den)::bigint AS den FROM (SELECT n.child_id, 'EHC_MEAN_WEEKS', n.month, n.days / 7.0, 1 FROM new_plans n) f(child_id, code, month, num, den) GROUP BY 1, 2, 3
    UNION ALL
    SELECT f.child_id, f.code, f.month, sum(f.num) AS num, sum(f.den)::bigint AS den FROM (SELECT q.child_id, 'EHCNA_REQUESTS', ((q.received_date) - (EXTRACT(DAY FROM (q.received_date))::int - 1)), 1, 0 FROM ehcna_request q WHERE true) f(child_id, code, month, num, den) GROUP BY 1, 2, 3
    UNION ALL
    SELECT f.child_id, f.code, f.month, sum(f.num) AS num, sum(f.den)::bigint AS den FROM (SELECT q.child_id, 'EHCNA_DECISION_6WK', ((q.outcome_date) - (EXTRACT(DAY FROM (q.outcome_date))::int - 1)), CASE WHEN q.outcome_date - q.received_date <= 42 THEN 1 ELSE 0 END, 1
        FROM ehcna_request q WHERE q.outcome IN ('Y', 'N') AND q.outcome_date IS NOT NULL AND true) f(child_id, code, month, num, den) GROUP BY 1, 2, 3
    UNION ALL
    SELECT f.child_id, f.code, f.month, sum(f.num) AS num, sum(f.den)::bigint AS den FROM (SELECT a.child_id, 'EP_ADVICE_6WK', ((a.ep_advice_returned_date) - (EXTRACT(DAY FROM (a.ep_advice_returned_date))::int - 1)), CASE WHEN a.ep_advice_returned_date - a.ep_advice_asked_date <= 42 THEN 1 ELSE 0 END, 1
        FROM ehc_needs_assessment a WHERE a.ep_advice_asked_date IS NOT NULL AND a.ep_advice_returned_date IS NOT NULL AND true) f(child_id, code, month, num, den) GROUP BY 1, 2, 3
    UNION ALL
    SELECT f.child_id, f.code, f.month, sum(f.num) AS num, sum(f.den)::bigint AS den FROM (SELECT e.child_id, 'AR_DECISION_4WK', ((v.decision_date) - (EXTRACT(DAY FROM (v.decision_date))::int - 1)), CASE WHEN v.decision_date - v.meeting_date <= 28 THEN 1 ELSE 0 END, 1
        FROM annual_review v JOIN ehc_plan e ON e.id = v.plan_id
        WHERE v.meeting_date IS NOT NULL AND v.decision_date IS NOT NULL AND true) f(child_id, code, month, num, den) GROUP BY 1, 2, 3
    UNION ALL
    SELECT f.child_id, f.code, f.month, sum(f.num) AS num, sum(f.den)::bigint AS den FROM (SELECT s.child_id, 'AR_OVERDUE' AS code,
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
      WHERE NOT isempty(s.span) AND (d.sign = 1 OR NOT upper_inf(s.span))) f(child_id, code, month, num, den) GROUP BY 1, 2, 3
    UNION ALL
    SELECT f.child_id, f.code, f.month, sum(f.num) AS num, sum(f.den)::bigint AS den FROM (SELECT s.child_id, 'PLANS_ACTIVE' AS code,
        ((CASE WHEN d.sign = 1 THEN lower(s.span) ELSE upper(s.span) END) - (EXTRACT(DAY FROM (CASE WHEN d.sign = 1 THEN lower(s.span) ELSE upper(s.span) END))::int - 1)) AS month, d.sign::numeric AS num, 0 AS den
      FROM (SELECT pa.child_id, pa.span FROM plans pa) s CROSS JOIN (VALUES (1), (-1)) d(sign)
      WHERE NOT isempty(s.span) AND (d.sign = 1 OR NOT upper_inf(s.span))) f(child_id, code, month, num, den) GROUP BY 1, 2, 3
    UNION ALL
    SELECT f.child_id, f.code, f.month, sum(f.num) AS num, sum(f.den)::bigint AS den FROM (SELECT s.child_id, 'PLANS_NO_ALLOCATED_WORKER' AS code,
        ((CASE WHEN d.sign = 1 THEN lower(s.span) ELSE upper(s.span) END) - (EXTRACT(DAY FROM (CASE WHEN d.sign = 1 THEN lower(s.span) ELSE upper(s.span) END))::int - 1)) AS month, d.sign::numeric AS num, 0 AS den
      FROM (SELECT pa.child_id, unnest(multirange(pa.span) - coalesce(cover.days, '{}'::datemultirange)) AS span
      FROM plans pa
      LEFT JOIN (SELECT w.child_id, range_agg(daterange(w.start_date, w.end_date, '[]')) AS days FROM worker_allocation w
                 WHERE w.caseworker_id IS NOT NULL AND (w.end_date IS NULL OR w.end_date >= w.start_date) AND true
                 GROUP BY w.child_id) cover ON cover.child_id = pa.child_id) s CROSS JOIN (VALUES (1), (-1)) d(sign)
      WHERE NOT isempty(s.span) AND (d.sign = 1 OR NOT upper_inf(s.span))) f(child_id, code, month, num, den) GROUP BY 1, 2, 3) f JOIN child c ON c.id = f.child_id AND true;
    ALTER TABLE casework_child_measure_month ADD CONSTRAINT casework_child_measure_month_pkey PRIMARY KEY (child_id, code, month);
    INSERT INTO casework_measure_month (code, month, district, primary_need, num, den)
      SELECT code, month, district, primary_need, sum(num), sum(den) FROM casework_child_measure_month WHERE true
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (code, month, district, primary_need)
      DO UPDATE SET num = casework_measure_month.num + excluded.num, den = casework_measure_month.den + excluded.den;
  END
  $fn$;
`;
