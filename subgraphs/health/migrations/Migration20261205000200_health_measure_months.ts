// Over 300 lines: a frozen migration holds all of its own SQL (the monthly tables, their triggers and the backfill), so editing a live module can never rewrite it.
import { Migration } from '@mikro-orm/migrations';

/**
 * Monthly figures for the health measures that were computed from raw rows on
 * every call (first-contact waits, health advice, SPACE), so that a series costs
 * the same whatever the volume: at 30 times Nottinghamshire's volume they took
 * ten times as long as at scale 1. Periods always begin on the 1st of a month and
 * end on a month end, so a period's figure is the sum of its months.
 *
 * - `health_first_contact_month`: referrals by month of first contact, service,
 *   pathway and days from received to first contact; and from it
 *   `health_first_contact_distribution`: per month and filter (every pathway and
 *   service alone, each pathway, each service, each pair; '' and the nil uuid
 *   stand for "all") the distinct days waited in order, their counts and running
 *   totals. A median needs the whole distribution: health_first_contact_median()
 *   finds a month's middle one or two values by binary search on the running
 *   totals (a longer period merges its months' counts) and interpolates as
 *   percentile_cont does, so the figure is the same to the last bit.
 * - `health_advice_month`: health advice returned, and returned within 6 weeks,
 *   by month returned.
 * - `health_space_cohort_fact`: each SPACE cohort's contribution (families
 *   enrolled in its start month; families finishing, completing and with both
 *   FASA scores in the month of its last planned session), and
 *   `health_space_month` the same summed by month and service.
 *
 * Kept in step by statement triggers in the writing transaction itself, so the
 * imports, the seed and hand-written SQL need no code of their own: referral and
 * advice rows add their own +1/-1 (transition tables, so INSERT ... ON CONFLICT
 * DO UPDATE counts each row once, as inserted or as updated); a change to a
 * cohort, an enrolment or an attendance recomputes the cohorts it touched. The
 * first-contact distributions of the months a transaction touched are rebuilt
 * once, when it commits (a deferred constraint trigger, as casework's facts), so
 * an import of many chunks pays once; before it commits, the median does not yet
 * show the transaction's own writes. Each refresh takes a transaction-level
 * advisory lock, so concurrent writers update the shared month rows one after the
 * other and never deadlock. TRUNCATE rebuilds.
 *
 * A bulk load may SET LOCAL health.defer_measure_months = 'on' and must then call
 * health_rebuild_measure_months() before it commits.
 */
export class Migration20261205000200_health_measure_months extends Migration {
  override async up(): Promise<void> {
    this.addSql(HEALTH_MEASURE_MONTHS_SQL);
  }
}

const MONTH_OF = (day: string) => `((${day}) - (EXTRACT(DAY FROM (${day}))::int - 1))`;
const COHORT_END = `(c.start_date + 7 * (c.planned_sessions - 1))`;
const LOCK = `PERFORM pg_advisory_xact_lock(hashtext('health_measure_months'));`;
/** The service_id of the rows that count every service. */
const ALL_SERVICES = `CAST('00000000-0000-0000-0000-000000000000' AS uuid)`;
const DEFERRED = `IF current_setting('health.defer_measure_months', true) = 'on' THEN RETURN NULL; END IF;`;

/**
 * Adds signed first-contact rows (month, service_id, pathway, days, n) from `deltas`. A row that later
 * writes bring to 0 stays: the median reads counts, and a 0 adds nothing to them.
 */
const applyFirstContact = (deltas: string) => `
    INSERT INTO health_first_contact_month AS t (month, service_id, pathway, days, referrals)
      SELECT month, service_id, pathway, days, sum(n)::int FROM (${deltas}) x GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (month, service_id, pathway, days) DO UPDATE SET referrals = t.referrals + excluded.referrals;`;

const firstContactRows = (table: string, sign: number) =>
  `SELECT ${MONTH_OF('r.first_contact_date')} AS month, r.service_id, r.pathway, (r.first_contact_date - r.received_date) AS days, ${sign} AS n
   FROM ${table} r WHERE r.first_contact_date IS NOT NULL`;

/** Adds signed advice rows (month, returned, within) from `deltas`. */
const applyAdvice = (deltas: string) => `
    INSERT INTO health_advice_month AS t (month, returned, returned_within_6_weeks)
      SELECT month, sum(returned)::int, sum(within)::int FROM (${deltas}) x GROUP BY 1 ORDER BY 1
      ON CONFLICT (month) DO UPDATE SET returned = t.returned + excluded.returned, returned_within_6_weeks = t.returned_within_6_weeks + excluded.returned_within_6_weeks;`;

const adviceRows = (table: string, sign: number) =>
  `SELECT ${MONTH_OF('h.returned_date')} AS month, ${sign} AS returned, CASE WHEN h.returned_date - h.asked_date <= 42 THEN ${sign} ELSE 0 END AS within
   FROM ${table} h WHERE h.returned_date IS NOT NULL`;

/** Each cohort's facts, for the cohorts `matches` accepts (a condition on c.id). */
const cohortFacts = (matches: string) => `
  SELECT c.id AS cohort_id, c.service_id, ${MONTH_OF('c.start_date')} AS start_month, ${MONTH_OF(COHORT_END)} AS end_month,
    count(e.id)::int AS families,
    count(e.id) FILTER (WHERE 4 * (SELECT count(*) FROM space_attendance a WHERE a.enrolment_id = e.id AND a.attended) >= 3 * c.planned_sessions)::int AS completing,
    count(e.id) FILTER (WHERE e.fasa_before IS NOT NULL AND e.fasa_after IS NOT NULL)::int AS fasa_families,
    COALESCE(sum(e.fasa_after - e.fasa_before) FILTER (WHERE e.fasa_before IS NOT NULL AND e.fasa_after IS NOT NULL), 0)::int AS fasa_change
  FROM space_cohort c LEFT JOIN space_enrolment e ON e.cohort_id = c.id
  WHERE ${matches}
  GROUP BY c.id`;

/** Adds (sign 1) or takes out (-1) the given cohort facts rows to the month totals. */
const applySpace = (facts: string, sign: number) => `
    INSERT INTO health_space_month AS t (month, service_id, families_enrolled, families_finishing, families_completing, fasa_families, fasa_change)
      SELECT month, service_id, sum(enrolled)::int, sum(finishing)::int, sum(completing)::int, sum(fasa_families)::int, sum(fasa_change)::int FROM (
        SELECT f.start_month AS month, f.service_id, ${sign} * f.families AS enrolled, 0 AS finishing, 0 AS completing, 0 AS fasa_families, 0 AS fasa_change FROM (${facts}) f
        UNION ALL
        SELECT f.end_month, f.service_id, 0, ${sign} * f.families, ${sign} * f.completing, ${sign} * f.fasa_families, ${sign} * f.fasa_change FROM (${facts}) f
      ) x GROUP BY 1, 2 ORDER BY 1, 2
      ON CONFLICT (month, service_id) DO UPDATE SET
        families_enrolled = t.families_enrolled + excluded.families_enrolled,
        families_finishing = t.families_finishing + excluded.families_finishing,
        families_completing = t.families_completing + excluded.families_completing,
        fasa_families = t.fasa_families + excluded.fasa_families,
        fasa_change = t.fasa_change + excluded.fasa_change;`;

export const HEALTH_MEASURE_MONTHS_SQL = `
  CREATE TABLE health_first_contact_month (
    month date NOT NULL,
    service_id uuid NOT NULL,
    pathway varchar(32) NOT NULL,
    days int NOT NULL,
    referrals int NOT NULL,
    PRIMARY KEY (month, service_id, pathway, days)
  );
  CREATE TABLE health_first_contact_distribution (
    month date NOT NULL,
    pathway varchar(32) NOT NULL,
    service_id uuid NOT NULL,
    referrals int NOT NULL,
    days int[] NOT NULL,
    counts int[] NOT NULL,
    running_totals int[] NOT NULL,
    PRIMARY KEY (month, pathway, service_id)
  );
  -- The months whose distributions a transaction's statements changed, until it commits.
  CREATE TABLE health_first_contact_pending (
    months date[] NOT NULL
  );
  CREATE TABLE health_advice_month (
    month date NOT NULL PRIMARY KEY,
    returned int NOT NULL,
    returned_within_6_weeks int NOT NULL
  );
  CREATE TABLE health_space_cohort_fact (
    cohort_id uuid NOT NULL PRIMARY KEY,
    service_id uuid NOT NULL,
    start_month date NOT NULL,
    end_month date NOT NULL,
    families int NOT NULL,
    completing int NOT NULL,
    fasa_families int NOT NULL,
    fasa_change int NOT NULL
  );
  CREATE TABLE health_space_month (
    month date NOT NULL,
    service_id uuid NOT NULL,
    families_enrolled int NOT NULL,
    families_finishing int NOT NULL,
    families_completing int NOT NULL,
    fasa_families int NOT NULL,
    fasa_change int NOT NULL,
    PRIMARY KEY (month, service_id)
  );

  -- Rebuilds these months' first-contact distributions from health_first_contact_month.
  CREATE FUNCTION health_refresh_first_contact_distributions(months date[]) RETURNS void LANGUAGE plpgsql
  SET plan_cache_mode = force_custom_plan AS $fn$
  BEGIN
    IF months IS NULL OR cardinality(months) = 0 THEN RETURN; END IF;
    ${LOCK}
    DELETE FROM health_first_contact_distribution WHERE month = ANY(months);
    INSERT INTO health_first_contact_distribution (month, pathway, service_id, referrals, days, counts, running_totals)
    SELECT month, pathway, service_id, sum(n)::int, array_agg(days ORDER BY days), array_agg(n ORDER BY days), array_agg(running ORDER BY days)
    FROM (SELECT g.*, CAST(sum(g.n) OVER (PARTITION BY g.month, g.pathway, g.service_id ORDER BY g.days) AS int) AS running
          FROM (SELECT f.month, COALESCE(f.pathway, '') AS pathway, COALESCE(f.service_id, ${ALL_SERVICES}) AS service_id, f.days, sum(f.referrals)::int AS n
                FROM health_first_contact_month f WHERE f.month = ANY(months)
                GROUP BY GROUPING SETS ((f.month, f.pathway, f.service_id, f.days), (f.month, f.pathway, f.days), (f.month, f.service_id, f.days), (f.month, f.days))
                HAVING sum(f.referrals) <> 0) g) c
    GROUP BY month, pathway, service_id;
  END
  $fn$;

  -- The 1-based position of the first running total above k (there is one: k < the last total).
  CREATE FUNCTION health_first_above(running_totals int[], k bigint) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $fn$
  DECLARE
    lo int := 1;
    hi int := cardinality(running_totals);
    mid int;
  BEGIN
    WHILE lo < hi LOOP
      mid := (lo + hi) / 2;
      IF running_totals[mid] > k THEN hi := mid; ELSE lo := mid + 1; END IF;
    END LOOP;
    RETURN lo;
  END
  $fn$;

  -- The median of days / 7.0 over the period's first contacts (null for none), times their number,
  -- as percentile_cont(0.5) would give it: positions floor((n-1)/2) and ceil((n-1)/2), lo + 0.5 * (hi - lo).
  CREATE FUNCTION health_first_contact_median(period_start date, period_end date, want_pathway text, want_service uuid,
    OUT numerator float8, OUT denominator bigint) LANGUAGE plpgsql STABLE AS $fn$
  DECLARE
    d record;
    n bigint;
    lo_days int;
    hi_days int;
    lo float8;
    hi float8;
  BEGIN
    IF date_trunc('month', period_start) = date_trunc('month', period_end) THEN
      SELECT f.referrals, f.days, f.running_totals INTO d FROM health_first_contact_distribution f
        WHERE f.month = CAST(date_trunc('month', period_start) AS date)
          AND f.pathway = COALESCE(want_pathway, '') AND f.service_id = COALESCE(want_service, ${ALL_SERVICES});
      n := COALESCE(d.referrals, 0);
      IF n > 0 THEN
        lo_days := d.days[health_first_above(d.running_totals, (n - 1) / 2)];
        hi_days := d.days[health_first_above(d.running_totals, n / 2)];
      END IF;
    ELSE
      SELECT COALESCE(max(h.total), 0), min(h.days) FILTER (WHERE h.running > (h.total - 1) / 2), min(h.days) FILTER (WHERE h.running > h.total / 2)
        INTO n, lo_days, hi_days
        FROM (SELECT x.days, CAST(sum(sum(x.n)) OVER (ORDER BY x.days) AS bigint) AS running, CAST(sum(sum(x.n)) OVER () AS bigint) AS total
              FROM health_first_contact_distribution f, unnest(f.days, f.counts) AS x(days, n)
              WHERE f.month BETWEEN period_start AND period_end
                AND f.pathway = COALESCE(want_pathway, '') AND f.service_id = COALESCE(want_service, ${ALL_SERVICES})
              GROUP BY x.days) h;
    END IF;
    denominator := n;
    IF n = 0 THEN numerator := NULL; RETURN; END IF;
    lo := CAST(lo_days / 7.0 AS float8);
    hi := CAST(hi_days / 7.0 AS float8);
    numerator := (lo + CAST(0.5 AS float8) * (hi - lo)) * n;
  END
  $fn$;

  -- At commit: rebuild the distributions of every month the transaction's statements touched, once.
  CREATE FUNCTION health_first_contact_pending_flush() RETURNS trigger LANGUAGE plpgsql AS $fn$
  DECLARE
    touched date[];
  BEGIN
    WITH taken AS (DELETE FROM health_first_contact_pending p RETURNING p.months)
    SELECT array_agg(DISTINCT m ORDER BY m) INTO touched FROM taken, unnest(taken.months) AS m;
    PERFORM health_refresh_first_contact_distributions(touched);
    RETURN NULL;
  END
  $fn$;
  CREATE CONSTRAINT TRIGGER health_first_contact_pending_flush AFTER INSERT ON health_first_contact_pending
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION health_first_contact_pending_flush();

  -- Recomputes these cohorts' facts and their share of the month totals.
  CREATE FUNCTION health_refresh_space_cohorts(ids uuid[]) RETURNS void LANGUAGE plpgsql
  SET plan_cache_mode = force_custom_plan AS $fn$
  BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
    ${LOCK}
    ${applySpace('SELECT * FROM health_space_cohort_fact WHERE cohort_id = ANY(ids)', -1)}
    DELETE FROM health_space_cohort_fact WHERE cohort_id = ANY(ids);
    INSERT INTO health_space_cohort_fact ${cohortFacts('c.id = ANY(ids)')};
    ${applySpace('SELECT * FROM health_space_cohort_fact WHERE cohort_id = ANY(ids)', 1)}
  END
  $fn$;

  -- Rebuilds every month figure from the records (after a bulk load or a TRUNCATE); ends any deferral.
  CREATE FUNCTION health_rebuild_measure_months() RETURNS void LANGUAGE plpgsql AS $fn$
  BEGIN
    PERFORM set_config('health.defer_measure_months', 'off', true);
    ${LOCK}
    DELETE FROM health_first_contact_month;
    DELETE FROM health_first_contact_distribution;
    DELETE FROM health_first_contact_pending;
    DELETE FROM health_advice_month;
    DELETE FROM health_space_cohort_fact;
    DELETE FROM health_space_month;
    ${applyFirstContact(firstContactRows('referral', 1))}
    PERFORM health_refresh_first_contact_distributions(ARRAY(SELECT DISTINCT month FROM health_first_contact_month));
    ${applyAdvice(adviceRows('health_advice_request', 1))}
    INSERT INTO health_space_cohort_fact ${cohortFacts('true')};
    ${applySpace('SELECT * FROM health_space_cohort_fact', 1)}
  END
  $fn$;

  CREATE FUNCTION health_referral_months_trigger() RETURNS trigger LANGUAGE plpgsql AS $fn$
  DECLARE
    touched date[] := '{}';
  BEGIN
    ${DEFERRED}
    ${LOCK}
    IF TG_OP = 'INSERT' THEN
      ${applyFirstContact(firstContactRows('new_rows', 1))}
    ELSIF TG_OP = 'DELETE' THEN
      ${applyFirstContact(firstContactRows('old_rows', -1))}
    ELSE
      ${applyFirstContact(`${firstContactRows('new_rows', 1)} UNION ALL ${firstContactRows('old_rows', -1)}`)}
    END IF;
    IF TG_OP <> 'DELETE' THEN
      SELECT touched || coalesce(array_agg(DISTINCT ${MONTH_OF('first_contact_date')}) FILTER (WHERE first_contact_date IS NOT NULL), '{}') INTO touched FROM new_rows;
    END IF;
    IF TG_OP <> 'INSERT' THEN
      SELECT touched || coalesce(array_agg(DISTINCT ${MONTH_OF('first_contact_date')}) FILTER (WHERE first_contact_date IS NOT NULL), '{}') INTO touched FROM old_rows;
    END IF;
    IF cardinality(touched) > 0 THEN INSERT INTO health_first_contact_pending (months) VALUES (touched); END IF;
    RETURN NULL;
  END
  $fn$;

  CREATE FUNCTION health_advice_months_trigger() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    ${DEFERRED}
    ${LOCK}
    IF TG_OP = 'INSERT' THEN
      ${applyAdvice(adviceRows('new_rows', 1))}
    ELSIF TG_OP = 'DELETE' THEN
      ${applyAdvice(adviceRows('old_rows', -1))}
    ELSE
      ${applyAdvice(`${adviceRows('new_rows', 1)} UNION ALL ${adviceRows('old_rows', -1)}`)}
    END IF;
    RETURN NULL;
  END
  $fn$;

  -- The cohorts a statement on space_cohort, space_enrolment or space_attendance touched, before and after it.
  CREATE FUNCTION health_space_months_trigger() RETURNS trigger LANGUAGE plpgsql AS $fn$
  DECLARE
    ids uuid[] := '{}';
  BEGIN
    ${DEFERRED}
    IF TG_TABLE_NAME = 'space_cohort' THEN
      IF TG_OP <> 'DELETE' THEN SELECT ids || coalesce(array_agg(id), '{}') INTO ids FROM new_rows; END IF;
      IF TG_OP <> 'INSERT' THEN SELECT ids || coalesce(array_agg(id), '{}') INTO ids FROM old_rows; END IF;
    ELSIF TG_TABLE_NAME = 'space_enrolment' THEN
      IF TG_OP <> 'DELETE' THEN SELECT ids || coalesce(array_agg(DISTINCT cohort_id), '{}') INTO ids FROM new_rows; END IF;
      IF TG_OP <> 'INSERT' THEN SELECT ids || coalesce(array_agg(DISTINCT cohort_id), '{}') INTO ids FROM old_rows; END IF;
    ELSE
      IF TG_OP <> 'DELETE' THEN
        SELECT ids || coalesce(array_agg(DISTINCT e.cohort_id), '{}') INTO ids FROM space_enrolment e WHERE e.id IN (SELECT enrolment_id FROM new_rows);
      END IF;
      IF TG_OP <> 'INSERT' THEN
        SELECT ids || coalesce(array_agg(DISTINCT e.cohort_id), '{}') INTO ids FROM space_enrolment e WHERE e.id IN (SELECT enrolment_id FROM old_rows);
      END IF;
    END IF;
    SELECT array_agg(DISTINCT id ORDER BY id) INTO ids FROM unnest(ids) AS id;
    PERFORM health_refresh_space_cohorts(ids);
    RETURN NULL;
  END
  $fn$;

  CREATE FUNCTION health_measure_months_truncated() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    ${DEFERRED}
    PERFORM health_rebuild_measure_months();
    RETURN NULL;
  END
  $fn$;
  ${[
    ['referral', 'health_referral_months_trigger'],
    ['health_advice_request', 'health_advice_months_trigger'],
    ['space_cohort', 'health_space_months_trigger'],
    ['space_enrolment', 'health_space_months_trigger'],
    ['space_attendance', 'health_space_months_trigger'],
  ]
    .map(([table, fn]) => `
  CREATE TRIGGER ${table}_measure_months_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();
  CREATE TRIGGER ${table}_measure_months_update AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();
  CREATE TRIGGER ${table}_measure_months_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();
  CREATE TRIGGER ${table}_measure_months_truncate AFTER TRUNCATE ON ${table}
    FOR EACH STATEMENT EXECUTE FUNCTION health_measure_months_truncated();`)
    .join('')}

  -- Filled from what is already held.
  SELECT health_rebuild_measure_months();
`;
