// Over 300 lines: a frozen migration holds all of its own SQL (tables, the maintained monthly figures and their triggers), so editing a live module can never rewrite it.
import { Migration } from '@mikro-orm/migrations';

/** The council's casework: children, requests, assessments, EHC plans, annual reviews, teams and allocated workers. */
export class Migration20261122000100_casework extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE team (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        name varchar(255) NOT NULL,
        kind varchar(32) NOT NULL,
        CONSTRAINT team_name_unique UNIQUE (name)
      );
      CREATE TABLE caseworker (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        name varchar(255) NOT NULL,
        team_id uuid NOT NULL CONSTRAINT caseworker_team_id_foreign REFERENCES team (id) ON UPDATE CASCADE
      );
      CREATE INDEX caseworker_team_id_index ON caseworker (team_id);

      CREATE TABLE child (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        link_key varchar(255) NULL,
        nhs_number varchar(10) NULL,
        upn varchar(13) NULL,
        uln varchar(10) NULL,
        forename varchar(255) NOT NULL,
        surname varchar(255) NOT NULL,
        birth_date date NOT NULL,
        sex varchar(1) NOT NULL,
        ethnicity varchar(4) NULL,
        postcode varchar(255) NULL,
        district varchar(255) NULL,
        primary_need varchar(4) NULL,
        team_id uuid NULL CONSTRAINT child_team_id_foreign REFERENCES team (id) ON UPDATE CASCADE ON DELETE SET NULL,
        CONSTRAINT child_link_key_unique UNIQUE (link_key),
        CONSTRAINT child_nhs_number_unique UNIQUE (nhs_number)
      );
      CREATE INDEX child_upn_index ON child (upn);
      CREATE INDEX child_uln_index ON child (uln);
      CREATE INDEX child_district_index ON child (district);
      CREATE INDEX child_primary_need_index ON child (primary_need);
      CREATE INDEX child_team_id_index ON child (team_id);

      CREATE TABLE worker_allocation (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        child_id uuid NOT NULL CONSTRAINT worker_allocation_child_id_foreign REFERENCES child (id) ON UPDATE CASCADE,
        team_id uuid NULL CONSTRAINT worker_allocation_team_id_foreign REFERENCES team (id) ON UPDATE CASCADE ON DELETE SET NULL,
        caseworker_id uuid NULL CONSTRAINT worker_allocation_caseworker_id_foreign REFERENCES caseworker (id) ON UPDATE CASCADE ON DELETE SET NULL,
        start_date date NOT NULL,
        end_date date NULL,
        decided_by varchar(255) NULL,
        reason text NULL,
        next_review_date date NULL
      );
      CREATE INDEX worker_allocation_child_id_index ON worker_allocation (child_id);
      CREATE INDEX worker_allocation_team_id_index ON worker_allocation (team_id);
      CREATE INDEX worker_allocation_caseworker_id_index ON worker_allocation (caseworker_id);

      CREATE TABLE ehcna_request (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        child_id uuid NOT NULL CONSTRAINT ehcna_request_child_id_foreign REFERENCES child (id) ON UPDATE CASCADE,
        received_date date NOT NULL,
        source varchar(16) NULL,
        outcome varchar(1) NOT NULL,
        outcome_date date NULL,
        mediation boolean NOT NULL DEFAULT false,
        tribunal boolean NOT NULL DEFAULT false
      );
      CREATE INDEX ehcna_request_child_id_index ON ehcna_request (child_id);
      CREATE INDEX ehcna_request_received_date_index ON ehcna_request (received_date);
      CREATE INDEX ehcna_request_outcome_date_index ON ehcna_request (outcome_date);

      CREATE TABLE ehc_needs_assessment (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        request_id uuid NOT NULL CONSTRAINT ehc_needs_assessment_request_id_foreign REFERENCES ehcna_request (id) ON UPDATE CASCADE,
        child_id uuid NOT NULL CONSTRAINT ehc_needs_assessment_child_id_foreign REFERENCES child (id) ON UPDATE CASCADE,
        outcome varchar(1) NOT NULL,
        outcome_date date NULL,
        draft_plan_date date NULL,
        week20exception boolean NOT NULL DEFAULT false,
        exception_reason varchar(1) NULL,
        mediation boolean NOT NULL DEFAULT false,
        tribunal boolean NOT NULL DEFAULT false,
        ep_advice_asked_date date NULL,
        ep_advice_returned_date date NULL,
        health_advice_asked_date date NULL,
        health_advice_returned_date date NULL,
        social_care_advice_asked_date date NULL,
        social_care_advice_returned_date date NULL,
        CONSTRAINT ehc_needs_assessment_request_id_unique UNIQUE (request_id)
      );
      CREATE INDEX ehc_needs_assessment_child_id_index ON ehc_needs_assessment (child_id);
      CREATE INDEX ehc_needs_assessment_ep_advice_returned_date_index ON ehc_needs_assessment (ep_advice_returned_date);

      CREATE TABLE ehc_plan (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        child_id uuid NOT NULL CONSTRAINT ehc_plan_child_id_foreign REFERENCES child (id) ON UPDATE CASCADE,
        assessment_id uuid NULL CONSTRAINT ehc_plan_assessment_id_foreign REFERENCES ehc_needs_assessment (id) ON UPDATE CASCADE ON DELETE SET NULL,
        issue_date date NOT NULL,
        personal_budget boolean NOT NULL DEFAULT false,
        cease_date date NULL,
        cease_reason varchar(1) NULL,
        CONSTRAINT ehc_plan_assessment_id_unique UNIQUE (assessment_id)
      );
      CREATE INDEX ehc_plan_child_id_index ON ehc_plan (child_id);
      CREATE INDEX ehc_plan_issue_date_index ON ehc_plan (issue_date);

      CREATE TABLE plan_placement (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        plan_id uuid NOT NULL CONSTRAINT plan_placement_plan_id_foreign REFERENCES ehc_plan (id) ON UPDATE CASCADE,
        rank smallint NOT NULL,
        urn varchar(6) NULL,
        ukprn varchar(8) NULL,
        sen_setting varchar(4) NULL,
        sen_unit boolean NOT NULL DEFAULT false,
        resourced_provision boolean NOT NULL DEFAULT false
      );
      CREATE INDEX plan_placement_plan_id_index ON plan_placement (plan_id);

      CREATE TABLE plan_sen_need (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        plan_id uuid NOT NULL CONSTRAINT plan_sen_need_plan_id_foreign REFERENCES ehc_plan (id) ON UPDATE CASCADE,
        sen_type varchar(4) NOT NULL,
        rank smallint NOT NULL
      );
      CREATE INDEX plan_sen_need_plan_id_index ON plan_sen_need (plan_id);

      CREATE TABLE annual_review (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        plan_id uuid NOT NULL CONSTRAINT annual_review_plan_id_foreign REFERENCES ehc_plan (id) ON UPDATE CASCADE,
        due_date date NOT NULL,
        meeting_date date NULL,
        outcome varchar(1) NULL,
        decision_date date NULL
      );
      CREATE INDEX annual_review_plan_id_index ON annual_review (plan_id);
      CREATE INDEX annual_review_decision_date_index ON annual_review (decision_date);
    `);
    // Derived, not entities: each measure's monthly figures, kept in step by triggers (measures/facts.ts).
    this.addSql(MEASURE_FACTS_SQL);
  }
}

/**
 * The measure-figure tables, functions and triggers as this migration installs
 * them (rendered from measures/facts.ts when it was written, and frozen here: a
 * change to facts.ts needs a new migration; test/casework/migrations.test.ts says so).
 */
export const MEASURE_FACTS_SQL = `
  CREATE TABLE casework_child_measure_month (
    child_id uuid NOT NULL,
    code varchar(32) NOT NULL,
    month date NOT NULL,
    num numeric NOT NULL,
    den bigint NOT NULL,
    district varchar(255) NULL,
    primary_need varchar(4) NULL,
    PRIMARY KEY (child_id, code, month)
  );
  -- The children whose facts a transaction's statements changed, until it commits.
  CREATE TABLE casework_measure_pending (
    child_ids uuid[] NOT NULL
  );
  CREATE TABLE casework_measure_month (
    code varchar(32) NOT NULL,
    month date NOT NULL,
    district varchar(255) NULL,
    primary_need varchar(4) NULL,
    num numeric NOT NULL,
    den bigint NOT NULL,
    CONSTRAINT casework_measure_month_key UNIQUE NULLS NOT DISTINCT (code, month, district, primary_need)
  );

  -- Recomputes the facts of these children (and the totals) from the records. Planned for the ids at hand:
  -- a generic plan (after a few calls in one session) reads far more than the few children a write touches.
  CREATE FUNCTION casework_refresh_measure_facts(ids uuid[]) RETURNS void LANGUAGE plpgsql
  SET plan_cache_mode = force_custom_plan AS $fn$
  BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
    -- One refresh at a time (held to commit, which follows at once): writers committing together would
    -- otherwise lock shared total rows in different orders and could deadlock.
    PERFORM pg_advisory_xact_lock(hashtext('casework_measure_month'));
    -- Past this many children one rebuild is cheaper (at 10x: about 0.7 ms a child, 20 s to rebuild).
    IF cardinality(ids) > 30000 THEN PERFORM casework_rebuild_measure_facts(); RETURN; END IF;
    WITH gone AS (DELETE FROM casework_child_measure_month f WHERE f.child_id = ANY(ids) RETURNING f.*),
         old AS (SELECT code, month, district, primary_need, sum(num) AS num, sum(den) AS den FROM gone GROUP BY 1, 2, 3, 4)
    UPDATE casework_measure_month t SET num = t.num - old.num, den = t.den - old.den
      FROM old
      WHERE t.code = old.code AND t.month = old.month
        AND t.district IS NOT DISTINCT FROM old.district AND t.primary_need IS NOT DISTINCT FROM old.primary_need;
    INSERT INTO casework_child_measure_month (child_id, code, month, num, den, district, primary_need) SELECT f.child_id, f.code, f.month, f.num, f.den, c.district, c.primary_need FROM (WITH plans AS MATERIALIZED (SELECT e.id, e.child_id, e.issue_date,
        daterange(e.issue_date, CASE WHEN e.cease_date IS NOT NULL THEN GREATEST(e.cease_date, e.issue_date) END, '[)') AS span
      FROM ehc_plan e WHERE e.child_id = ANY(ids)),
    new_plans AS MATERIALIZED (SELECT e.child_id, ((e.issue_date) - (EXTRACT(DAY FROM (e.issue_date))::int - 1)) AS month, (e.issue_date - r.received_date) AS days, a.week20exception AS exception
      FROM ehc_plan e
      JOIN ehc_needs_assessment a ON a.id = e.assessment_id AND a.outcome <> 'H'
      JOIN ehcna_request r ON r.id = a.request_id
      WHERE e.child_id = ANY(ids))
    SELECT f.child_id, f.code, f.month, sum(f.num) AS num, sum(f.den)::bigint AS den FROM (
      SELECT n.child_id, 'EHC_20WK_EXCL' AS code, n.month, CASE WHEN n.days <= 140 THEN 1 ELSE 0 END::numeric AS num, 1 AS den
        FROM new_plans n WHERE NOT n.exception
      UNION ALL
      SELECT n.child_id, 'EHC_20WK_INCL', n.month, CASE WHEN n.days <= 140 THEN 1 ELSE 0 END, 1 FROM new_plans n
      UNION ALL
      SELECT n.child_id, 'EHC_MEAN_WEEKS', n.month, n.days / 7.0, 1 FROM new_plans n
      UNION ALL
      SELECT q.child_id, 'EHCNA_REQUESTS', ((q.received_date) - (EXTRACT(DAY FROM (q.received_date))::int - 1)), 1, 0 FROM ehcna_request q WHERE q.child_id = ANY(ids)
      UNION ALL
      SELECT q.child_id, 'EHCNA_DECISION_6WK', ((q.outcome_date) - (EXTRACT(DAY FROM (q.outcome_date))::int - 1)), CASE WHEN q.outcome_date - q.received_date <= 42 THEN 1 ELSE 0 END, 1
        FROM ehcna_request q WHERE q.outcome IN ('Y', 'N') AND q.outcome_date IS NOT NULL AND q.child_id = ANY(ids)
      UNION ALL
      SELECT a.child_id, 'EP_ADVICE_6WK', ((a.ep_advice_returned_date) - (EXTRACT(DAY FROM (a.ep_advice_returned_date))::int - 1)), CASE WHEN a.ep_advice_returned_date - a.ep_advice_asked_date <= 42 THEN 1 ELSE 0 END, 1
        FROM ehc_needs_assessment a WHERE a.ep_advice_asked_date IS NOT NULL AND a.ep_advice_returned_date IS NOT NULL AND a.child_id = ANY(ids)
      UNION ALL
      SELECT e.child_id, 'AR_DECISION_4WK', ((v.decision_date) - (EXTRACT(DAY FROM (v.decision_date))::int - 1)), CASE WHEN v.decision_date - v.meeting_date <= 28 THEN 1 ELSE 0 END, 1
        FROM annual_review v JOIN ehc_plan e ON e.id = v.plan_id
        WHERE v.meeting_date IS NOT NULL AND v.decision_date IS NOT NULL AND e.child_id = ANY(ids)
      UNION ALL
      SELECT s.child_id, 'AR_OVERDUE' AS code,
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
                 WHERE w.caseworker_id IS NOT NULL AND (w.end_date IS NULL OR w.end_date >= w.start_date) AND w.child_id = ANY(ids)
                 GROUP BY w.child_id) cover ON cover.child_id = pa.child_id) s CROSS JOIN (VALUES (1), (-1)) d(sign)
      WHERE NOT isempty(s.span) AND (d.sign = 1 OR NOT upper_inf(s.span))
    ) f GROUP BY 1, 2, 3) f JOIN child c ON c.id = f.child_id;
    INSERT INTO casework_measure_month (code, month, district, primary_need, num, den)
      SELECT code, month, district, primary_need, sum(num), sum(den) FROM casework_child_measure_month WHERE child_id = ANY(ids)
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (code, month, district, primary_need)
      DO UPDATE SET num = casework_measure_month.num + excluded.num, den = casework_measure_month.den + excluded.den;
  END
  $fn$;

  -- Rebuilds every fact from the records (after a bulk load); ends any deferral.
  CREATE FUNCTION casework_rebuild_measure_facts() RETURNS void LANGUAGE plpgsql AS $fn$
  BEGIN
    PERFORM set_config('casework.defer_measure_facts', 'off', true);
    PERFORM pg_advisory_xact_lock(hashtext('casework_measure_month'));
    DELETE FROM casework_child_measure_month;
    DELETE FROM casework_measure_month;
    DELETE FROM casework_measure_pending;
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
    INSERT INTO casework_measure_month (code, month, district, primary_need, num, den)
      SELECT code, month, district, primary_need, sum(num), sum(den) FROM casework_child_measure_month WHERE true
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (code, month, district, primary_need)
      DO UPDATE SET num = casework_measure_month.num + excluded.num, den = casework_measure_month.den + excluded.den;
  END
  $fn$;

  -- Statement triggers: the children whose facts a statement may have changed, before and after it.
  CREATE FUNCTION casework_measure_facts_trigger() RETURNS trigger LANGUAGE plpgsql AS $fn$
  DECLARE
    ids uuid[] := '{}';
  BEGIN
    IF current_setting('casework.defer_measure_facts', true) = 'on' THEN RETURN NULL; END IF;
    IF TG_TABLE_NAME = 'child' THEN
      IF TG_OP = 'UPDATE' THEN
        SELECT coalesce(array_agg(n.id), '{}') INTO ids FROM new_rows n JOIN old_rows o ON o.id = n.id
          WHERE n.district IS DISTINCT FROM o.district OR n.primary_need IS DISTINCT FROM o.primary_need;
      ELSE
        SELECT coalesce(array_agg(o.id), '{}') INTO ids FROM old_rows o;
      END IF;
    ELSIF TG_TABLE_NAME = 'annual_review' THEN
      IF TG_OP <> 'DELETE' THEN
        SELECT ids || coalesce(array_agg(DISTINCT e.child_id), '{}') INTO ids FROM ehc_plan e WHERE e.id IN (SELECT plan_id FROM new_rows);
      END IF;
      IF TG_OP <> 'INSERT' THEN
        SELECT ids || coalesce(array_agg(DISTINCT e.child_id), '{}') INTO ids FROM ehc_plan e WHERE e.id IN (SELECT plan_id FROM old_rows);
      END IF;
    ELSE
      -- request, assessment, plan, allocation: the row's child, and for a request or an assessment the child
      -- of the plan that followed it (the same child, unless the records disagree).
      IF TG_OP <> 'DELETE' THEN
        SELECT ids || coalesce(array_agg(DISTINCT child_id), '{}') INTO ids FROM new_rows;
      END IF;
      IF TG_OP <> 'INSERT' THEN
        SELECT ids || coalesce(array_agg(DISTINCT child_id), '{}') INTO ids FROM old_rows;
      END IF;
      IF TG_TABLE_NAME = 'ehcna_request' AND TG_OP <> 'DELETE' THEN
        SELECT ids || coalesce(array_agg(DISTINCT e.child_id), '{}') INTO ids FROM ehc_plan e
          JOIN ehc_needs_assessment a ON a.id = e.assessment_id WHERE a.request_id IN (SELECT id FROM new_rows);
      ELSIF TG_TABLE_NAME = 'ehc_needs_assessment' AND TG_OP <> 'DELETE' THEN
        SELECT ids || coalesce(array_agg(DISTINCT e.child_id), '{}') INTO ids FROM ehc_plan e WHERE e.assessment_id IN (SELECT id FROM new_rows);
      END IF;
    END IF;
    IF cardinality(ids) > 0 THEN INSERT INTO casework_measure_pending (child_ids) VALUES (ids); END IF;
    RETURN NULL;
  END
  $fn$;

  -- At commit (a deferred constraint trigger): refresh every child the transaction's statements touched, once.
  -- The first firing takes all the pending rows the transaction can see (its own: others' are not committed,
  -- and committed ones were taken by their own transaction); later firings find none.
  CREATE FUNCTION casework_measure_pending_flush() RETURNS trigger LANGUAGE plpgsql AS $fn$
  DECLARE
    ids uuid[];
  BEGIN
    WITH taken AS (DELETE FROM casework_measure_pending RETURNING child_ids)
    SELECT array_agg(DISTINCT id ORDER BY id) INTO ids FROM taken, unnest(taken.child_ids) AS id;
    PERFORM casework_refresh_measure_facts(ids);
    RETURN NULL;
  END
  $fn$;
  CREATE CONSTRAINT TRIGGER casework_measure_pending_flush AFTER INSERT ON casework_measure_pending
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION casework_measure_pending_flush();

  
  CREATE TRIGGER ehcna_request_measure_facts_insert AFTER INSERT ON ehcna_request REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_trigger();
  CREATE TRIGGER ehcna_request_measure_facts_update AFTER UPDATE ON ehcna_request REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_trigger();
  CREATE TRIGGER ehcna_request_measure_facts_delete AFTER DELETE ON ehcna_request REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_trigger();
  CREATE TRIGGER ehc_needs_assessment_measure_facts_insert AFTER INSERT ON ehc_needs_assessment REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_trigger();
  CREATE TRIGGER ehc_needs_assessment_measure_facts_update AFTER UPDATE ON ehc_needs_assessment REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_trigger();
  CREATE TRIGGER ehc_needs_assessment_measure_facts_delete AFTER DELETE ON ehc_needs_assessment REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_trigger();
  CREATE TRIGGER ehc_plan_measure_facts_insert AFTER INSERT ON ehc_plan REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_trigger();
  CREATE TRIGGER ehc_plan_measure_facts_update AFTER UPDATE ON ehc_plan REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_trigger();
  CREATE TRIGGER ehc_plan_measure_facts_delete AFTER DELETE ON ehc_plan REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_trigger();
  CREATE TRIGGER annual_review_measure_facts_insert AFTER INSERT ON annual_review REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_trigger();
  CREATE TRIGGER annual_review_measure_facts_update AFTER UPDATE ON annual_review REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_trigger();
  CREATE TRIGGER annual_review_measure_facts_delete AFTER DELETE ON annual_review REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_trigger();
  CREATE TRIGGER worker_allocation_measure_facts_insert AFTER INSERT ON worker_allocation REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_trigger();
  CREATE TRIGGER worker_allocation_measure_facts_update AFTER UPDATE ON worker_allocation REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_trigger();
  CREATE TRIGGER worker_allocation_measure_facts_delete AFTER DELETE ON worker_allocation REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_trigger();
  -- TRUNCATE has no rows to name: rebuild from what is left.
  CREATE FUNCTION casework_measure_facts_truncated() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    IF current_setting('casework.defer_measure_facts', true) = 'on' THEN RETURN NULL; END IF;
    PERFORM casework_rebuild_measure_facts();
    RETURN NULL;
  END
  $fn$;
  
  CREATE TRIGGER child_measure_facts_truncate AFTER TRUNCATE ON child FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_truncated();
  CREATE TRIGGER ehcna_request_measure_facts_truncate AFTER TRUNCATE ON ehcna_request FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_truncated();
  CREATE TRIGGER ehc_needs_assessment_measure_facts_truncate AFTER TRUNCATE ON ehc_needs_assessment FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_truncated();
  CREATE TRIGGER ehc_plan_measure_facts_truncate AFTER TRUNCATE ON ehc_plan FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_truncated();
  CREATE TRIGGER annual_review_measure_facts_truncate AFTER TRUNCATE ON annual_review FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_truncated();
  CREATE TRIGGER worker_allocation_measure_facts_truncate AFTER TRUNCATE ON worker_allocation FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_truncated();
  CREATE TRIGGER child_measure_facts_update AFTER UPDATE ON child REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_trigger();
  CREATE TRIGGER child_measure_facts_delete AFTER DELETE ON child REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_trigger();
`;
