import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays } from '../../toolkit/dates';
import { ENDINGS, MAX_WEEKS, type Ending, type IssuedSoFar, type LifeTable, type OpenAtAge, type Period } from '../rules/forecast';
import { DECISION_DAYS, FINAL_PLAN_DAYS, reviewDueAfterSql } from '../rules/timescales';

/**
 * The pipeline's aggregates, in SQL, as they stood at the end of `asOf`: only
 * what the records had dated by then counts, so a forecast made "as at" a past
 * date sees what a forecast made that day would have seen (the backtest relies
 * on it). One statement for the pipeline and its history, one for what falls due.
 *
 * A request's ending is the first of: its final plan issued (ON_TIME within 140
 * days, LATE, or EXCEPTION under reg 10(4)), or no plan (the request not assessed
 * or withdrawn, the assessment not issued or withdrawn). Historical records (SEN2
 * `H`) are left out, as EHC_20WK_EXCL leaves them out.
 */

export interface PipelineFilter {
  district: string | null;
  primaryNeed: string | null;
}

/** The windows the life tables are read over: each of the last four quarters (91 days), latest first. */
export function historyWindows(asOf: string): Period[] {
  const windows: Period[] = [];
  for (let i = 0; i < 4; i++) windows.push({ startDate: addDays(asOf, -91 * (i + 1) + 1), endDate: addDays(asOf, -91 * i) });
  return windows;
}

/** Every window, period so far and arrival count lies within this many days before asOf. */
const HISTORY_DAYS = 400;

const childMatches = `(CAST(:district AS text) IS NULL OR c.district = CAST(:district AS text))
      AND (CAST(:primary_need AS text) IS NULL OR c.primary_need = CAST(:primary_need AS text))`;

/** Every request with its ending as known at the end of :as_of (null while open). */
const endings = `SELECT r.id, r.received_date AS received,
        CASE WHEN known.ended <= CAST(:as_of AS date) THEN known.ended END AS ended,
        CASE WHEN known.ended <= CAST(:as_of AS date) THEN known.ending END AS ending,
        (r.outcome_date IS NOT NULL AND r.outcome_date <= CAST(:as_of AS date)) AS decided
      FROM ehcna_request r
      JOIN child c ON c.id = r.child_id
      LEFT JOIN ehc_needs_assessment a ON a.request_id = r.id
      LEFT JOIN ehc_plan e ON e.assessment_id = a.id
      CROSS JOIN LATERAL (SELECT
          CASE WHEN e.id IS NOT NULL THEN e.issue_date
               WHEN r.outcome IN ('N', 'W') THEN r.outcome_date
               WHEN a.outcome IN ('N', 'W') THEN a.outcome_date END AS ended,
          CASE WHEN e.id IS NOT NULL THEN CASE WHEN a.week20exception THEN 'EXCEPTION' WHEN e.issue_date - r.received_date <= ${FINAL_PLAN_DAYS} THEN 'ON_TIME' ELSE 'LATE' END
               WHEN r.outcome IN ('N', 'W') OR a.outcome IN ('N', 'W') THEN 'NO_PLAN' END AS ending) known
      WHERE r.received_date <= CAST(:as_of AS date)
        AND a.outcome IS DISTINCT FROM 'H' AND NOT (r.outcome = 'H' AND e.id IS NULL)
        -- An ending recorded without its date cannot be placed in time: such a request is left out.
        AND NOT (known.ending IS NOT NULL AND known.ended IS NULL)
        -- Only what a year's windows can see: open then, ended in the last ${HISTORY_DAYS} days, or received in them
        -- (at 10 times the volume, the rest is most of the table and none of the answer).
        AND (known.ended IS NULL OR known.ended > CAST(:as_of AS date) - ${HISTORY_DAYS} OR r.received_date > CAST(:as_of AS date) - ${HISTORY_DAYS})
        AND ${childMatches}`;

/**
 * Life tables: for each window and week of age k, +1 where a request comes under
 * observation and -1 after its last observed week (summed into "open at the start
 * of week k" by the caller), and the endings in week k. A week counts only when all
 * seven of its days lie in the window, so no ending is missed for being unseen.
 */
const lifeTables = `SELECT s.kind, w.i AS w, s.k, s.ending, CAST(count(*) AS int) AS n
      FROM windows w
      JOIN LATERAL (SELECT x.*,
          GREATEST(0, CAST(ceil(CAST(w.from_date - x.received AS float8) / 7) AS int)) AS k_lo,
          LEAST(CAST(floor(CAST(w.to_date - 6 - x.received AS float8) / 7) AS int), ${MAX_WEEKS - 1}) AS k_seen,
          CAST(floor(CAST(x.ended - x.received AS float8) / 7) AS int) AS k_end
        FROM requests x
        WHERE x.received <= w.to_date AND x.received >= w.from_date - ${7 * MAX_WEEKS} AND (x.ended IS NULL OR x.ended >= w.from_date)) q ON true
      CROSS JOIN LATERAL (VALUES
          ('start', q.k_lo, CAST(NULL AS text)),
          ('stop', LEAST(q.k_seen, coalesce(q.k_end, q.k_seen)) + 1, NULL),
          ('end', q.k_end, q.ending)) s(kind, k, ending)
      WHERE LEAST(q.k_seen, coalesce(q.k_end, q.k_seen)) >= q.k_lo
        AND (s.kind <> 'end' OR (q.k_end IS NOT NULL AND q.k_end BETWEEN q.k_lo AND q.k_seen))
      GROUP BY 1, 2, 3, 4`;

export interface PipelineFacts {
  open: OpenAtAge[];
  /** Open requests still awaiting the decision whether to assess, and those being assessed. */
  awaitingDecision: number;
  beingAssessed: number;
  /** The last four quarters, latest first. */
  tables: LifeTable[];
  arrivalsPerDay: number;
  issued: IssuedSoFar[];
}

/** The pipeline on asOf, its history, and plans issued so far in each of `periods`. */
export async function pipelineFacts(em: EntityManager, asOf: string, periods: readonly Period[], filter: PipelineFilter): Promise<PipelineFacts> {
  const windows = historyWindows(asOf);
  const sql = `WITH requests AS MATERIALIZED (${endings}),
      windows AS (SELECT * FROM jsonb_to_recordset(CAST(:windows AS jsonb)) AS w(i int, from_date date, to_date date)),
      periods AS (SELECT * FROM jsonb_to_recordset(CAST(:periods AS jsonb)) AS p(i int, from_date date))
    SELECT 'open' AS kind, CAST(NULL AS int) AS w, (CAST(:as_of AS date) - x.received) AS k, CASE WHEN x.decided THEN 'ASSESSING' ELSE 'DECISION' END AS ending, CAST(count(*) AS int) AS n
      FROM requests x WHERE x.ended IS NULL GROUP BY 3, 4
    UNION ALL
    ${lifeTables}
    UNION ALL
    SELECT 'arrivals', NULL, NULL, NULL, CAST(count(*) AS int) FROM requests x WHERE x.received > CAST(:as_of AS date) - 365
    UNION ALL
    SELECT 'issued', p.i, NULL, x.ending, CAST(count(*) AS int) FROM periods p
      JOIN requests x ON x.ended BETWEEN p.from_date AND CAST(:as_of AS date) AND x.ending IN ('ON_TIME', 'LATE')
      GROUP BY 2, 4`;
  const raw = em.getKnex().raw(sql, {
    as_of: asOf,
    district: filter.district,
    primary_need: filter.primaryNeed,
    windows: JSON.stringify(windows.map((w, i) => ({ i, from_date: w.startDate, to_date: w.endDate }))),
    periods: JSON.stringify(periods.map((p, i) => ({ i, from_date: p.startDate }))),
  });
  const rows = await em.getConnection().execute<Array<{ kind: string; w: number | null; k: number | null; ending: string | null; n: number }>>(raw);

  const tables: LifeTable[] = windows.map(() => []);
  const deltas: number[][] = windows.map(() => []);
  const facts: PipelineFacts = { open: [], awaitingDecision: 0, beingAssessed: 0, tables, arrivalsPerDay: 0, issued: periods.map(() => ({ within: 0, total: 0 })) };
  const week = (w: number, k: number) => (tables[w][k] ??= { atRisk: 0, ended: Object.fromEntries(ENDINGS.map((e) => [e, 0])) as Record<Ending, number> });
  for (const r of rows) {
    const n = Number(r.n);
    if (r.kind === 'open') {
      facts.open.push({ ageDays: Number(r.k), count: n });
      if (r.ending === 'DECISION') facts.awaitingDecision += n;
      else facts.beingAssessed += n;
    } else if (r.kind === 'start' || r.kind === 'stop') {
      const d = (deltas[r.w!] ??= []);
      d[r.k!] = (d[r.k!] ?? 0) + (r.kind === 'start' ? n : -n);
    } else if (r.kind === 'end') {
      week(r.w!, r.k!).ended[r.ending as Ending] += n;
    } else if (r.kind === 'arrivals') {
      facts.arrivalsPerDay = n / 365;
    } else if (r.kind === 'issued') {
      facts.issued[r.w!].total += n;
      if (r.ending === 'ON_TIME') facts.issued[r.w!].within += n;
    }
  }
  // Open at the start of week k: the running sum of those coming under observation less those leaving it.
  deltas.forEach((d, w) => {
    let open = 0;
    for (let k = 0; k < Math.max(d.length, tables[w].length); k++) {
      open += d[k] ?? 0;
      week(w, k).atRisk = open;
    }
  });
  // Merge the open requests of equal age across the two stages.
  const byAge = new Map<number, number>();
  for (const o of facts.open) byAge.set(o.ageDays, (byAge.get(o.ageDays) ?? 0) + o.count);
  facts.open = [...byAge].map(([ageDays, count]) => ({ ageDays, count })).sort((a, b) => a.ageDays - b.ageDays);
  return facts;
}

export interface DueSoon {
  /** Requests undecided at asOf whose decision was due before asOf. */
  decisionsOverdue: number;
  /** Requests undecided at asOf with the decision due in week 1 or 2 (from asOf). */
  decisionsDue: number[];
  /** Plans in force on asOf whose annual review is due in week 1-4 (from asOf). */
  reviewsDue: number[];
}

/**
 * What falls due: decisions whether to assess (42 days from the request) in the
 * next two weeks, annual reviews (12 months from the issue or latest meeting) in
 * the next four. Week 1 is asOf to asOf + 6: a due date is the last day on time,
 * so one falling on asOf is due, not yet late.
 */
export async function dueSoon(em: EntityManager, asOf: string, filter: PipelineFilter): Promise<DueSoon> {
  const sql = `SELECT 'decision' AS kind, CASE WHEN due < CAST(:as_of AS date) THEN 0 ELSE (due - CAST(:as_of AS date)) / 7 + 1 END AS w, CAST(count(*) AS int) AS n
      FROM (SELECT r.received_date + ${DECISION_DAYS} AS due FROM ehcna_request r JOIN child c ON c.id = r.child_id
            WHERE r.received_date <= CAST(:as_of AS date) AND r.outcome <> 'H' AND ${childMatches}
              AND CASE WHEN r.outcome_date IS NULL THEN r.outcome = 'A' ELSE r.outcome_date > CAST(:as_of AS date) END) d
      WHERE due < CAST(:as_of AS date) + 14 GROUP BY 2
    UNION ALL
    SELECT 'review', (due - CAST(:as_of AS date)) / 7 + 1, CAST(count(*) AS int)
      FROM (SELECT ${reviewDueAfterSql('GREATEST(e.issue_date, m.latest)')} AS due
            FROM ehc_plan e JOIN child c ON c.id = e.child_id
            -- One pass over the reviews, not one lookup per plan: every plan in force is read.
            LEFT JOIN (SELECT v.plan_id, max(v.meeting_date) AS latest FROM annual_review v WHERE v.meeting_date <= CAST(:as_of AS date) GROUP BY v.plan_id) m ON m.plan_id = e.id
            WHERE e.issue_date <= CAST(:as_of AS date) AND (e.cease_date IS NULL OR e.cease_date > CAST(:as_of AS date)) AND ${childMatches}) d
      WHERE due BETWEEN CAST(:as_of AS date) AND CAST(:as_of AS date) + 27 GROUP BY 2`;
  const raw = em.getKnex().raw(sql, { as_of: asOf, district: filter.district, primary_need: filter.primaryNeed });
  const rows = await em.getConnection().execute<Array<{ kind: string; w: number; n: number }>>(raw);
  const out: DueSoon = { decisionsOverdue: 0, decisionsDue: [0, 0], reviewsDue: [0, 0, 0, 0] };
  for (const r of rows) {
    const w = Number(r.w);
    if (r.kind === 'decision') {
      if (w === 0) out.decisionsOverdue += Number(r.n);
      else out.decisionsDue[w - 1] += Number(r.n);
    } else out.reviewsDue[w - 1] += Number(r.n);
  }
  return out;
}
