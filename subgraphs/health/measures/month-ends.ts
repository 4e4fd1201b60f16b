import type { EntityManager } from '@mikro-orm/postgresql';
import { waitRange } from '../entities/referral';

// The tables are created by the health migration (migrations/Migration20261122000200_health.ts).

/** The month end a period reads: its own, or the last one held. */
export const monthEndFor = (periodEnd: string) => `LEAST(${periodEnd}, (SELECT max(month_end) FROM health_month_end))`;

const contactInTwelveMonths = `(r.first_contact_date BETWEEN CAST((m.month_end + 1) - interval '12 months' AS date) AND m.month_end
  OR r.second_contact_date BETWEEN CAST((m.month_end + 1) - interval '12 months' AS date) AND m.month_end)`;

const MONTHS = `months AS (
    SELECT CAST(m + interval '1 month' - interval '1 day' AS date) AS month_end
    FROM (SELECT date_trunc('month', min(received_date)) AS first_month,
                 date_trunc('month', GREATEST(max(GREATEST(received_date, first_contact_date, second_contact_date, discharge_date)), CURRENT_DATE)) + interval '14 months' AS last_month
          FROM referral) b,
         generate_series(b.first_month, b.last_month, interval '1 month') m
  )`;

export const REFRESH_MONTH_ENDS_SQL = [
  'DELETE FROM health_month_end_service',
  'DELETE FROM health_month_end',
  `WITH ${MONTHS}
   INSERT INTO health_month_end (month_end, camhs_children)
   SELECT m.month_end, (SELECT count(DISTINCT r.link_key) FROM referral r WHERE r.pathway = 'CAMHS' AND ${contactInTwelveMonths})
   FROM months m`,
  `INSERT INTO health_month_end_service (month_end, service_id, pathway, waiting, waiting_over_13_weeks, waiting_over_18_weeks, camhs_children)
   SELECT month_end, service_id, pathway, sum(waiting), sum(over_13), sum(over_18), sum(camhs) FROM (
     SELECT m.month_end, r.service_id, r.pathway, count(*) AS waiting,
            count(*) FILTER (WHERE m.month_end - r.received_date > 91) AS over_13,
            count(*) FILTER (WHERE m.month_end - r.received_date > 126) AS over_18, 0 AS camhs
     FROM health_month_end m JOIN referral r ON ${waitRange('r.')} @> m.month_end
     GROUP BY 1, 2, 3
     UNION ALL
     SELECT m.month_end, r.service_id, r.pathway, 0, 0, 0, count(DISTINCT r.link_key)
     FROM health_month_end m JOIN referral r ON r.pathway = 'CAMHS' AND ${contactInTwelveMonths}
     GROUP BY 1, 2, 3
   ) x GROUP BY 1, 2, 3`,
];

/** Rebuilds the month ends; pass the transaction's entity manager so it commits with the write. */
export async function refreshMonthEnds(em: EntityManager): Promise<void> {
  const connection = em.getConnection();
  for (const sql of REFRESH_MONTH_ENDS_SQL) await connection.execute(sql, [], 'run', em.getTransactionContext());
}
