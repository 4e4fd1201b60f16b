// Over 300 lines: the measure facts' derivation and the SQL that keeps them in step (tables, triggers, the refresh as first installed and as installed since) share their fragments; split, a migration's text could no longer be checked against one module.
import { ADVICE_DAYS, DECISION_DAYS, FINAL_PLAN_DAYS, REVIEW_DECISION_DAYS, reviewDueAfterSql } from '../rules/timescales';

/**
 * Measure facts: what each child contributes to each measure, by calendar month,
 * kept in step with the casework records by the database itself.
 *
 * Why: at 10 times Nottinghamshire's volume, deriving AR_OVERDUE (every plan's
 * review history) and PLANS_NO_ALLOCATED_WORKER (every child's allocations) on
 * each call cost most of a second. Instead:
 *
 * - `casework_child_measure_month`: per child, measure code and month, the
 *   numerator and denominator of the events in that month (event measures), or
 *   the +1/-1 of the stretches starting and ending in that month (state measures:
 *   the value on a period's last day is the sum of the months up to it). It also
 *   records the child's district and primary need it was counted under.
 * - `casework_measure_month`: the same summed over the children sharing a
 *   district and primary need, the only filters the measures take. Measures read
 *   a few thousand rows from here whatever the volume.
 *
 * Statement-level triggers on every table the facts depend on (child, request,
 * assessment, plan, annual review, allocation) note the children a statement
 * touched (casework_measure_pending); when the transaction commits, a deferred
 * constraint trigger recomputes their facts once, in that same transaction: take
 * their old rows out of the totals, derive them afresh from the records, add them
 * back (a TRUNCATE rebuilds everything at once). So the mutations, the SEN2
 * importer and any hand-written SQL keep them in step with no code of their own,
 * and a transaction writing many rows for one child (an import) pays once per
 * child, not once per statement. Within a transaction, before it commits, the
 * figures do not yet show its own writes. Refreshes take a transaction-level
 * advisory lock, so concurrent commits refresh one after the other (a few ms
 * each for a mutation) and never deadlock on the shared total rows.
 *
 * A bulk load may set `casework.defer_measure_facts` to 'on' for its transaction
 * (SET LOCAL) and must then call casework_rebuild_measure_facts() before it
 * commits (the seed does; so does the SEN2 import, once the children it creates
 * are enough for the refresh at commit to rebuild anyway: rebuildsAtCommit): the
 * triggers skip, and one rebuild is far cheaper than one refresh per inserted chunk.
 *
 * The rules are the pure ones of rules/timescales.ts (test/casework/calibration
 * checks plan by plan): annual reviews are overdue from the day after 12 months
 * from the issue or the latest meeting held (from the meeting dates themselves,
 * not the stored due dates).
 */

/** A plan's days: from its issue to its cease date, if it has one. */
const PLAN_SPAN = "daterange(e.issue_date, CASE WHEN e.cease_date IS NOT NULL THEN GREATEST(e.cease_date, e.issue_date) END, '[)')";

/** The first day of a date's month, by date arithmetic alone. */
const MONTH_OF = (day: string) => `((${day}) - (EXTRACT(DAY FROM (${day}))::int - 1))`;

/**
 * How a derivation is written. Each code is derived by one branch of the union, so
 * no fact spans two branches, and every form derives the same facts:
 * - `parallel` (since migration 20261215000100): every branch reads the records it
 *   needs itself and sums its own rows. No branch shares a materialised CTE or uses
 *   a window function (each plan's overdue stretches come from its meetings as an
 *   array), and every branch's num is numeric, so PostgreSQL pulls the union up and
 *   can hand whole branches to parallel workers (a Parallel Append): the rebuild,
 *   deriving by CREATE TABLE AS, uses them. See MEASURE_FACTS_REBUILD_SQL for figures.
 * - `each` (migration 20261213000100): plans and new plans materialised once and
 *   shared by the branches, which keeps every branch on the one backend; every branch
 *   sums its own rows, about one per child, in a hash table that stays in memory.
 *   `node dist/bench/casework-measures.js 5`, alternated with the build before: the
 *   full rebuild 4.4-4.5 s against 5.0-5.1 s, a refresh of 1,000 children 121-124 ms
 *   against 144-147, of one child 3.1-3.2 ms against 2.9 (ten sums planned instead
 *   of one). The same facts: both forms of the SEN2 benchmark's 925,000 compared by
 *   EXCEPT both ways (a scratch script not kept), and the calibration and
 *   measure-facts tests. The refresh derives so: for a few children it is the
 *   cheaper form (on the SEN2 benchmark's database, a scratch script alternating the
 *   two: 50 children 5 ms against 16 in `parallel`, 1,000 children 96 ms against 128).
 * - `all`: as `each`, but the whole union summed at once, in one hash table of every
 *   fact, which spilled to disk at that size. The first casework migration's
 *   functions derive so.
 */
export type FactForm = 'parallel' | 'each' | 'all';

/**
 * Every fact (child_id, code, month, num, den) of the children `matches` accepts
 * (a condition on a child id column), one row per child, code and month.
 */
export function childFactsSql(matches: (childId: string) => string, form: FactForm = 'parallel'): string {
  const shared = form !== 'parallel';
  const newPlans = `SELECT e.child_id, ${MONTH_OF('e.issue_date')} AS month, (e.issue_date - r.received_date) AS days, a.week20exception AS exception
      FROM ehc_plan e
      JOIN ehc_needs_assessment a ON a.id = e.assessment_id AND a.outcome <> 'H'
      JOIN ehcna_request r ON r.id = a.request_id
      WHERE ${matches('e.child_id')}`;
  const planSpans = `SELECT e.id, e.child_id, e.issue_date,
        ${PLAN_SPAN} AS span
      FROM ehc_plan e WHERE ${matches('e.child_id')}`;
  const plans = shared ? 'plans' : `(${planSpans})`;
  const newPlansFrom = shared ? 'new_plans' : `(${newPlans})`;
  // Overdue stretches: between consecutive meetings (the first after the issue), from the day after 12 months
  // from the earlier one until the later; after the latest (or the issue), from the day after 12 months on.
  const overdueByWindow = `SELECT g.plan_id, daterange(${reviewDueAfterSql('g.since')} + 1, g.until, '[)') AS days
      FROM (SELECT m.plan_id, GREATEST(lag(m.meeting) OVER w, m.issue_date) AS since, m.meeting AS until
            FROM (SELECT DISTINCT v.plan_id, e.issue_date, v.meeting_date AS meeting
                  FROM annual_review v JOIN ehc_plan e ON e.id = v.plan_id
                  WHERE v.meeting_date IS NOT NULL AND ${matches('e.child_id')}) m
            WINDOW w AS (PARTITION BY m.plan_id ORDER BY m.meeting)) g
      WHERE g.until > ${reviewDueAfterSql('g.since')} + 1
      UNION ALL
      SELECT e.id, daterange(${reviewDueAfterSql('GREATEST(max(v.meeting_date), e.issue_date)')} + 1, NULL, '[)')
      FROM ehc_plan e LEFT JOIN annual_review v ON v.plan_id = e.id
      WHERE ${matches('e.child_id')}
      GROUP BY e.id, e.issue_date`;
  // The same stretches from each plan's meetings in order: the stretch after the issue, then after each meeting
  // (from the later of it and the issue), runs to the next meeting; the last one is open.
  const overdueByMeetings = `SELECT p.child_id, daterange(${reviewDueAfterSql('GREATEST(p.earlier, p.issue_date)')} + 1, p.until, '[)') * p.span AS span
      FROM (SELECT m.child_id, m.issue_date, m.span,
                   unnest(ARRAY[NULL::date] || m.meetings) AS earlier, unnest(m.meetings || ARRAY[NULL::date]) AS until
            FROM (SELECT e.child_id, e.issue_date, ${PLAN_SPAN} AS span,
                         coalesce(array_agg(DISTINCT v.meeting_date ORDER BY v.meeting_date) FILTER (WHERE v.meeting_date IS NOT NULL), '{}') AS meetings
                  FROM ehc_plan e LEFT JOIN annual_review v ON v.plan_id = e.id
                  WHERE ${matches('e.child_id')}
                  GROUP BY e.id) m) p
      WHERE p.until IS NULL OR p.until > ${reviewDueAfterSql('GREATEST(p.earlier, p.issue_date)')} + 1`;
  const noWorker = `SELECT pa.child_id, unnest(multirange(pa.span) - coalesce(cover.days, '{}'::datemultirange)) AS span
      FROM ${plans} pa
      LEFT JOIN (SELECT w.child_id, range_agg(daterange(w.start_date, w.end_date, '[]')) AS days FROM worker_allocation w
                 WHERE w.caseworker_id IS NOT NULL AND (w.end_date IS NULL OR w.end_date >= w.start_date) AND ${matches('w.child_id')}
                 GROUP BY w.child_id) cover ON cover.child_id = pa.child_id`;
  /** +1 in the month a stretch starts, -1 in the month of the first day after it. */
  const deltas = (code: string, spans: string) => `SELECT s.child_id, '${code}' AS code,
        ${MONTH_OF('CASE WHEN d.sign = 1 THEN lower(s.span) ELSE upper(s.span) END')} AS month, d.sign::numeric AS num, 0 AS den
      FROM (${spans}) s CROSS JOIN (VALUES (1), (-1)) d(sign)
      WHERE NOT isempty(s.span) AND (d.sign = 1 OR NOT upper_inf(s.span))`;
  // One branch a code (the first names the columns). In the shared forms the union resolves num to numeric; in
  // `parallel` each branch's sum is numeric already, as PostgreSQL requires before it pulls a union up.
  const branches = [
    `SELECT n.child_id, 'EHC_20WK_EXCL' AS code, n.month, CASE WHEN n.days <= ${FINAL_PLAN_DAYS} THEN 1 ELSE 0 END::numeric AS num, 1 AS den
        FROM ${newPlansFrom} n WHERE NOT n.exception`,
    `SELECT n.child_id, 'EHC_20WK_INCL', n.month, CASE WHEN n.days <= ${FINAL_PLAN_DAYS} THEN 1 ELSE 0 END, 1 FROM ${newPlansFrom} n`,
    `SELECT n.child_id, 'EHC_MEAN_WEEKS', n.month, n.days / 7.0, 1 FROM ${newPlansFrom} n`,
    `SELECT q.child_id, 'EHCNA_REQUESTS', ${MONTH_OF('q.received_date')}, 1, 0 FROM ehcna_request q WHERE ${matches('q.child_id')}`,
    `SELECT q.child_id, 'EHCNA_DECISION_6WK', ${MONTH_OF('q.outcome_date')}, CASE WHEN q.outcome_date - q.received_date <= ${DECISION_DAYS} THEN 1 ELSE 0 END, 1
        FROM ehcna_request q WHERE q.outcome IN ('Y', 'N') AND q.outcome_date IS NOT NULL AND ${matches('q.child_id')}`,
    `SELECT a.child_id, 'EP_ADVICE_6WK', ${MONTH_OF('a.ep_advice_returned_date')}, CASE WHEN a.ep_advice_returned_date - a.ep_advice_asked_date <= ${ADVICE_DAYS} THEN 1 ELSE 0 END, 1
        FROM ehc_needs_assessment a WHERE a.ep_advice_asked_date IS NOT NULL AND a.ep_advice_returned_date IS NOT NULL AND ${matches('a.child_id')}`,
    `SELECT e.child_id, 'AR_DECISION_4WK', ${MONTH_OF('v.decision_date')}, CASE WHEN v.decision_date - v.meeting_date <= ${REVIEW_DECISION_DAYS} THEN 1 ELSE 0 END, 1
        FROM annual_review v JOIN ehc_plan e ON e.id = v.plan_id
        WHERE v.meeting_date IS NOT NULL AND v.decision_date IS NOT NULL AND ${matches('e.child_id')}`,
    deltas(
      'AR_OVERDUE',
      shared ? `SELECT pa.child_id, o.days * pa.span AS span FROM (${overdueByWindow}) o JOIN plans pa ON pa.id = o.plan_id` : overdueByMeetings,
    ),
    deltas('PLANS_ACTIVE', `SELECT pa.child_id, pa.span FROM ${plans} pa`),
    deltas('PLANS_NO_ALLOCATED_WORKER', noWorker),
  ];
  const sums = `SELECT f.child_id, f.code, f.month, sum(f.num)${shared ? '' : '::numeric'} AS num, sum(f.den)::bigint AS den`;
  const facts =
    form === 'all'
      ? `${sums} FROM (\n      ${branches.join('\n      UNION ALL\n      ')}\n    ) f GROUP BY 1, 2, 3`
      : branches.map((b) => `${sums} FROM (${b}) f(child_id, code, month, num, den) GROUP BY 1, 2, 3`).join('\n    UNION ALL\n    ');
  if (!shared) return facts;
  return `WITH plans AS MATERIALIZED (${planSpans}),
    new_plans AS MATERIALIZED (${newPlans})
    ${facts}`;
}

/** The first migration's refresh rebuilt everything for more children than this (MEASURE_FACTS_SQL below). */
export const REBUILD_ABOVE_CHILDREN = 30000;

const FACT_COLUMNS = 'child_id, code, month, num, den, district, primary_need';

/**
 * Facts with the district and primary need they are counted under, ready to insert.
 * The children are looked up by the same condition as their facts (which every fact's
 * child meets): the planner cannot count the facts of a union of sums, and guessing
 * thousands for a refresh of 50 children it hashed the whole child table (35 of its
 * 39 ms, seen by auto_explain inside the refresh on the SEN2 benchmark's database).
 */
const factRows = (matches: (childId: string) => string) =>
  `SELECT f.child_id, f.code, f.month, f.num, f.den, c.district, c.primary_need FROM (${childFactsSql(matches, 'each')}) f JOIN child c ON c.id = f.child_id AND ${matches('c.id')}`;

/** The facts as the first migration's functions derived them (summed at once; the children joined whole). */
const firstFactRows = (matches: (childId: string) => string) =>
  `SELECT f.child_id, f.code, f.month, f.num, f.den, c.district, c.primary_need FROM (${childFactsSql(matches, 'all')}) f JOIN child c ON c.id = f.child_id`;

/** Adds the facts of casework_child_measure_month rows matching `where` into the totals. */
const addToTotals = (where: string) => `INSERT INTO casework_measure_month (code, month, district, primary_need, num, den)
      SELECT code, month, district, primary_need, sum(num), sum(den) FROM casework_child_measure_month WHERE ${where}
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (code, month, district, primary_need)
      DO UPDATE SET num = casework_measure_month.num + excluded.num, den = casework_measure_month.den + excluded.den`;

/**
 * A refresh of at least this many children rebuilds everything instead when they are
 * at least REBUILD_SHARE of all children: past that share one rebuild costs less than
 * refreshing them one set at a time (measured in the SEN2 benchmark: a refresh costs a
 * child about 1.5 times what a rebuild does).
 */
export const REBUILD_FROM_CHILDREN = 5000;
export const REBUILD_SHARE = 0.6;

/**
 * Whether the refresh at commit rebuilds every fact (its SQL below decides the same
 * way) for a transaction that touched `touched` of the `total` children. A writer
 * that knows this early (an import whose new children are most of the area) may
 * defer the facts and rebuild them once itself, sparing every statement its trigger.
 */
export function rebuildsAtCommit(touched: number, total: number): boolean {
  return touched >= REBUILD_FROM_CHILDREN && touched >= REBUILD_SHARE * total;
}

/**
 * The refresh at commit, as migration 20261213000100 installs it (replacing the
 * first migration's and 20261208000300's, which summed the facts at once): the
 * children's facts derived afresh and compared with those held, and only the differences written, to the children's facts and, as sums of
 * (new - old), to the totals. A later return that adds a review to every plan
 * changes two or three of a child's ten facts, and re-deriving a child whose
 * records did not move writes nothing; the old refresh deleted and re-inserted
 * them all, and writing those rows was most of its cost. work_mem lets an import's
 * tens of thousands of children be grouped and joined in memory.
 */
export const MEASURE_FACTS_REFRESH_SQL = `
  CREATE OR REPLACE FUNCTION casework_refresh_measure_facts(ids uuid[]) RETURNS void LANGUAGE plpgsql
  SET plan_cache_mode = force_custom_plan SET work_mem = '64MB' AS $fn$
  BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
    -- One refresh at a time (held to commit, which follows at once): writers committing together would
    -- otherwise lock shared total rows in different orders and could deadlock.
    PERFORM pg_advisory_xact_lock(hashtext('casework_measure_month'));
    IF cardinality(ids) >= ${REBUILD_FROM_CHILDREN} AND cardinality(ids) >= ${REBUILD_SHARE} * (SELECT count(*) FROM child) THEN
      PERFORM casework_rebuild_measure_facts();
      RETURN;
    END IF;
    WITH fresh AS MATERIALIZED (${factRows((c) => `${c} = ANY(ids)`)}),
         held AS MATERIALIZED (SELECT ${FACT_COLUMNS} FROM casework_child_measure_month WHERE child_id = ANY(ids)),
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
         added AS (INSERT INTO casework_child_measure_month (${FACT_COLUMNS})
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

/**
 * The rebuild, as migration 20261215000100 installs it (replacing the first
 * migration's and those of 20261209000100, 20261211000300 and 20261213000100): the
 * facts are derived into a new table by CREATE TABLE AS, which takes the old one's
 * place, its key built after, in one sorted pass, and its grants copied.
 *
 * Why: an INSERT ... SELECT never runs on parallel workers, so deriving about a
 * million facts, inserting them and summing the totals kept one backend busy while
 * the importer waited for it (4.4 s of an all-new SEN2 return of 100,000 people).
 * CREATE TABLE AS may: with the derivation written for it (FactForm `parallel`), the
 * workers take whole branches of the union and the leader writes the rows they send.
 * The settings below keep every branch whole (a branch split across workers would
 * need a gather of its own, which keeps the whole union on one backend) and count the
 * workers' rows cheap to pass, since the leader writes each one anyway. The totals
 * are summed the same way, into a temporary table. Measured on the 925,000 facts of
 * the database `node dist/bench/sen2-import.js 100000 new` leaves, each step timed by
 * a scratch SQL script (not kept), alternated, as the table's owner: derive and write
 * 1.8-2.0 s against 3.3-3.5 s for deriving and inserting, key 0.6-0.7 s, totals
 * 0.3 s against 0.5; in all 2.9-3.0 s against 4.3-4.8 s. The benchmark itself shows
 * the gain whole: an all-new run 17.3-17.4 s against 18.8-18.9 s.
 *
 * Replacing a table takes its owner, so the function runs as its owner (SECURITY
 * DEFINER, with a fixed search path: pg_catalog first, then public, whose objects the
 * runtime login cannot create; the tables are named with their schema, since a table
 * is created in the first schema of the path). It does nothing a caller could not
 * already ask of the rebuild. The ACCESS EXCLUSIVE lock the old table's drop takes
 * lasts to commit, which follows the rebuild at once; only the refresh reads this
 * table, and it takes the rebuild's advisory lock before it does, so no one waits on
 * the table's lock who would not have waited anyway, and a statement that does finds
 * the new table by its name once the lock is granted. No old fact is deleted row by
 * row: that wrote a log record for each (about 925,000 in the SEN2 benchmark's later
 * return) and left as many dead rows for vacuum. The totals, which the measures read,
 * are still deleted, so an older snapshot still sees them.
 * test/casework/measure-facts.test.ts checks that the table comes back as it was:
 * columns, key, grants.
 */
const rebuiltFacts = `SELECT f.child_id, f.code::varchar(32) AS code, f.month, f.num, f.den, c.district, c.primary_need
      FROM (${childFactsSql(() => 'true', 'parallel')}) f JOIN child c ON c.id = f.child_id`;

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
    CREATE TABLE public.casework_child_measure_month_next AS ${rebuiltFacts};
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

/**
 * Tables, functions and triggers, as the first casework migration installed them
 * (its refresh function since replaced by MEASURE_FACTS_REFRESH_SQL).
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
    IF cardinality(ids) > ${REBUILD_ABOVE_CHILDREN} THEN PERFORM casework_rebuild_measure_facts(); RETURN; END IF;
    WITH gone AS (DELETE FROM casework_child_measure_month f WHERE f.child_id = ANY(ids) RETURNING f.*),
         old AS (SELECT code, month, district, primary_need, sum(num) AS num, sum(den) AS den FROM gone GROUP BY 1, 2, 3, 4)
    UPDATE casework_measure_month t SET num = t.num - old.num, den = t.den - old.den
      FROM old
      WHERE t.code = old.code AND t.month = old.month
        AND t.district IS NOT DISTINCT FROM old.district AND t.primary_need IS NOT DISTINCT FROM old.primary_need;
    INSERT INTO casework_child_measure_month (${FACT_COLUMNS}) ${firstFactRows((c) => `${c} = ANY(ids)`)};
    ${addToTotals('child_id = ANY(ids)')};
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
    INSERT INTO casework_child_measure_month (${FACT_COLUMNS}) ${firstFactRows(() => 'true')};
    ${addToTotals('true')};
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

  ${['ehcna_request', 'ehc_needs_assessment', 'ehc_plan', 'annual_review', 'worker_allocation']
    .map(
      (table) => `
  CREATE TRIGGER ${table}_measure_facts_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_trigger();
  CREATE TRIGGER ${table}_measure_facts_update AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_trigger();
  CREATE TRIGGER ${table}_measure_facts_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_trigger();`,
    )
    .join('')}
  -- TRUNCATE has no rows to name: rebuild from what is left.
  CREATE FUNCTION casework_measure_facts_truncated() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    IF current_setting('casework.defer_measure_facts', true) = 'on' THEN RETURN NULL; END IF;
    PERFORM casework_rebuild_measure_facts();
    RETURN NULL;
  END
  $fn$;
  ${['child', 'ehcna_request', 'ehc_needs_assessment', 'ehc_plan', 'annual_review', 'worker_allocation']
    .map((table) => `
  CREATE TRIGGER ${table}_measure_facts_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_truncated();`)
    .join('')}
  CREATE TRIGGER child_measure_facts_update AFTER UPDATE ON child REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_trigger();
  CREATE TRIGGER child_measure_facts_delete AFTER DELETE ON child REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION casework_measure_facts_trigger();
`;
