import { randomUUID } from 'node:crypto';
import { isWaiting, type ReferralDates } from '../../subgraphs/health/rules/waiting';
import { storedReadsFor } from '../../subgraphs/toolkit/stored-reads';
import { TEST_LINK_KEY_SECRET } from '../support/databases';
import { startHealth, type HealthHarness } from './support';

/**
 * The waiting list on a date is filed under health's data version
 * (toolkit/stored-reads.ts), counted before any caller's suppression: the same
 * list while nothing is written, never a list from before a committed referral
 * write. Real PostgreSQL; the writes are hand-written SQL.
 */
const AS_OF = '2026-10-06';

describe('the waiting list, filed under health\'s data version', () => {
  let h: HealthHarness;
  beforeAll(async () => {
    h = await startHealth({ linkKeySecret: TEST_LINK_KEY_SECRET, scale: 0.01, today: '2026-11-22', log: () => undefined });
  });
  afterAll(async () => h?.stop());

  const store = () => storedReadsFor({ em: h.subgraph.orm.em } as never);
  const list = async (role: 'icb_analyst' | 'executive' = 'icb_analyst') => {
    const res = await h.queryAs<{ waitingList: { total: number | null; totalSuppressed: boolean; bands: Array<{ count: number | null }> } }>(role, `{ waitingList(asOf: "${AS_OF}") { total totalSuppressed bands { count } } }`);
    expect(res.errors).toBeUndefined();
    return res.data!.waitingList;
  };
  // Received and discharged within one month, never seen: on no month end's list and in no first-contact figure,
  // so no measure table changes, only the list on a day between.
  const addUnseenReferral = async () => {
    const service = await h.serviceId((await h.em().getConnection().execute(`SELECT code FROM health_service ORDER BY code LIMIT 1`))[0].code);
    await h.em().getConnection().execute(
      `INSERT INTO referral (source_id, link_key, service_id, pathway, urgency, received_date, discharge_date, discharge_reason) VALUES (?, 'key-unseen', ?, 'SALT', 'ROUTINE', '2026-10-02', '2026-10-20', 'Moved away')`,
      [`test-${randomUUID()}`, service],
    );
  };

  it('gives the same list from the store while nothing is written, and recounts after a referral is written', async () => {
    const before = await list();
    const { hits } = store();
    expect(await list()).toEqual(before);
    expect(store().hits - hits).toBe(1);
    await addUnseenReferral();
    const after = await list();
    expect(after.total).toBe(before.total! + 1);
    expect(after.bands[0].count).toBe(before.bands[0].count! + 1); // waiting 4 days: the 0-4 band
  });

  it('files the counts, not a caller\'s view: each role still gets its own disclosure', async () => {
    await addUnseenReferral(); // a new version: the executive's read below fills the store
    const executive = await list('executive');
    const analyst = await list('icb_analyst');
    const referrals = await h.em().getConnection().execute<ReferralDates[]>(
      `SELECT to_char(received_date, 'YYYY-MM-DD') AS "receivedDate", to_char(first_contact_date, 'YYYY-MM-DD') AS "firstContactDate", to_char(discharge_date, 'YYYY-MM-DD') AS "dischargeDate" FROM referral`,
    );
    expect(analyst.total).toBe(referrals.filter((r) => isWaiting(r, AS_OF)).length);
    expect(await list('executive')).toEqual(executive);
  });
});
