import { Client } from 'pg';
import { storedReadsFor, StoredReads } from '../../subgraphs/toolkit/stored-reads';
import { TEST_LINK_KEY_SECRET } from '../support/databases';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * The dashboard's governance parts are filed under governance's data version
 * (resolvers/stored-reads.ts), which every write to a governance table bumps in
 * its own transaction as it commits: never stale, never another view's. Real
 * PostgreSQL, the whole stack, writes racing reads.
 */
const AS_OF = '2026-02-09';
const SEED = { linkKeySecret: TEST_LINK_KEY_SECRET, scale: 0.02, today: '2026-03-01', log: () => undefined };

const DASHBOARD = `{ assuranceDashboard(asOf: "${AS_OF}") {
  kpiCards { name value rag }
  priorityActionPlan { area { reference } byStatus { status count } actions { action { reference } status overridden reasons } }
  actionsNeedingAttention { action { reference } status reasons latestNextSteps }
  overdueEscalations { issue } nextMeetings { title } nextReviews { title } familyVoiceThemes { theme count responded }
} }`;

interface Dashboard {
  assuranceDashboard: {
    kpiCards: Array<{ name: string }>;
    priorityActionPlan: Array<{ area: { reference: string }; actions: Array<{ action: { reference: string }; status: string; overridden: boolean; reasons: string[] }> }>;
    actionsNeedingAttention: Array<{ action: { reference: string }; status: string }>;
    familyVoiceThemes: Array<{ theme: string; count: number }>;
  };
}

describe('the dashboard\'s stored governance reads', () => {
  let stack: TestStack;
  let owner: Client;
  beforeAll(async () => {
    stack = await startTestStack({ seed: SEED });
    owner = new Client({ connectionString: stack.databases.logins.governance.ownerUrl });
    await owner.connect();
  }, 240_000);
  afterAll(async () => {
    await owner?.end();
    await stack?.stop();
  });

  const store = () => storedReadsFor({ em: stack.subgraphs.governance.orm.em } as never);
  const version = async (client: Client = owner) => Number((await client.query('SELECT version FROM governance_data_version')).rows[0].version);
  const dashboard = async (role: 'executive' | 'partner_app' | 'board_member') => {
    const res = await stack.queryAs<Dashboard>(role, DASHBOARD);
    expect(res.errors).toBeUndefined();
    return res.data!.assuranceDashboard;
  };
  const addFeedback = (client: Client, theme: string, on: string) =>
    client.query(`INSERT INTO family_feedback (source, theme, received_on, you_said, published) VALUES ('SURVEY', $1, $2, 'Said', true)`, [theme, on]);

  it('gives the same dashboard from the store while nothing is written', async () => {
    const first = await dashboard('executive');
    const { hits, misses } = store();
    const second = await dashboard('executive');
    expect(second).toEqual(first);
    // Every part of the second (root, cards, plan, attention, escalations, meetings, reviews, themes) was filed.
    expect({ hits: store().hits - hits, misses: store().misses - misses }).toEqual({ hits: 8, misses: 0 });
  });

  it('bumps the version as a write commits, in its transaction: not before, not on rollback, not for a rolled-back savepoint', async () => {
    const other = new Client({ connectionString: stack.databases.logins.governance.ownerUrl });
    await other.connect();
    try {
      const v0 = await version();
      await other.query('BEGIN');
      await addFeedback(other, 'Version test', '2026-02-01');
      await addFeedback(other, 'Version test', '2026-02-02');
      expect(await version()).toBe(v0);
      await other.query('COMMIT');
      expect(await version()).toBe(v0 + 1);

      await other.query('BEGIN');
      await addFeedback(other, 'Version test', '2026-02-03');
      await other.query('ROLLBACK');
      expect(await version()).toBe(v0 + 1);

      await other.query('BEGIN');
      await other.query('SAVEPOINT s');
      await addFeedback(other, 'Version test', '2026-02-04');
      await other.query('ROLLBACK TO SAVEPOINT s');
      await other.query(`UPDATE priority_action SET title = title WHERE reference = 'PAP-1.1'`);
      await other.query('COMMIT');
      expect(await version()).toBe(v0 + 2);
    } finally {
      await other.end();
    }
  });

  it('every governance table bumps the data version', async () => {
    const { rows } = await owner.query(
      `SELECT c.relname AS table, EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_proc f ON f.oid = t.tgfoid WHERE t.tgrelid = c.oid AND f.proname = 'governance_data_version_note') AS bumps
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname NOT LIKE 'audit%' AND c.relname NOT LIKE 'governance_data_version%' AND c.relname <> 'mikro_orm_migrations' ORDER BY 1`,
    );
    // Every table the governance entities map to (audit and migration bookkeeping aside).
    const mapped = Object.values(stack.subgraphs.governance.orm.getMetadata().getAll()).filter((m) => !m.abstract && !m.virtual && m.tableName && !m.tableName.startsWith('audit')).map((m) => m.tableName);
    expect(rows.map((r) => r.table).sort()).toEqual(expect.arrayContaining([...new Set(mapped)].sort()));
    expect(rows.filter((r) => !r.bumps)).toEqual([]);
  });

  it('a board override is on the next dashboard that starts after it commits', async () => {
    const statusOf = (d: Dashboard['assuranceDashboard'], ref: string) => d.priorityActionPlan.flatMap((a) => a.actions).find((a) => a.action.reference === ref)!;
    const before = statusOf(await dashboard('executive'), 'PAP-1.1');
    await dashboard('executive');
    const to = before.status === 'OFF_TRACK' ? 'ON_TRACK' : 'OFF_TRACK';
    await owner.query(`UPDATE priority_action SET override_status = $1, override_reason = 'Board decision', override_expires_on = '2026-12-31' WHERE reference = 'PAP-1.1'`, [to]);
    try {
      const after = await dashboard('executive');
      expect(statusOf(after, 'PAP-1.1')).toMatchObject({ status: to, overridden: true });
      expect(after.actionsNeedingAttention.some((a) => a.action.reference === 'PAP-1.1')).toBe(to === 'OFF_TRACK');
    } finally {
      await owner.query(`UPDATE priority_action SET override_status = NULL, override_reason = NULL, override_expires_on = NULL WHERE reference = 'PAP-1.1'`);
    }
    expect(statusOf(await dashboard('executive'), 'PAP-1.1')).toEqual(before);
  });

  it('never gives a partner app what was filed for a wider view: unpublished actions and KPIs stay hidden after an executive\'s dashboard', async () => {
    const unpublished = (await owner.query(`SELECT reference FROM priority_action WHERE NOT published`)).rows.map((r) => r.reference as string);
    const hiddenKpis = (await owner.query(`SELECT name FROM kpi WHERE NOT published`)).rows.map((r) => r.name as string);
    expect(unpublished.length).toBeGreaterThan(0);
    expect(hiddenKpis.length).toBeGreaterThan(0);
    const executive = await dashboard('executive');
    const seen = (d: Dashboard['assuranceDashboard']) => ({
      actions: [...d.priorityActionPlan.flatMap((a) => a.actions.map((x) => x.action.reference)), ...d.actionsNeedingAttention.map((a) => a.action.reference)],
      kpis: d.kpiCards.map((c) => c.name),
    });
    expect(seen(executive).actions).toEqual(expect.arrayContaining(unpublished));
    expect(seen(executive).kpis).toEqual(expect.arrayContaining(hiddenKpis));
    const { misses } = store();
    const partner = await dashboard('partner_app');
    // Worked out for the partner's own view, not taken from the executive's.
    expect(store().misses - misses).toBe(8);
    expect(seen(partner).actions.filter((r) => unpublished.includes(r))).toEqual([]);
    expect(seen(partner).kpis.filter((n) => hiddenKpis.includes(n))).toEqual([]);
    expect(seen(partner).actions.length).toBeGreaterThan(0);
    // And the other way round: the partner's narrower view is not what the next executive gets.
    expect(await dashboard('executive')).toEqual(executive);
    expect(await dashboard('partner_app')).toEqual(partner);
  });

  it('under concurrent writes and dashboards, no dashboard that began after a commit shows the data from before it', async () => {
    const theme = 'Racing theme';
    const count = (d: Dashboard['assuranceDashboard']) => d.familyVoiceThemes.find((t) => t.theme === theme)?.count ?? 0;
    const base = count(await dashboard('executive'));
    const writers = await Promise.all(Array.from({ length: 3 }, async () => {
      const c = new Client({ connectionString: stack.databases.logins.governance.ownerUrl });
      await c.connect();
      return c;
    }));
    const hitsBefore = store().hits;
    let committed = 0;
    let writing = true;
    let reads = 0;
    const stale: Array<{ committedBefore: number; seen: number; role: string }> = [];
    try {
      const write = writers.map(async (c, w) => {
        for (let k = 0; k < 6; k++) {
          await c.query('BEGIN');
          await addFeedback(c, theme, `2026-01-${String(10 + w * 6 + k).padStart(2, '0')}`);
          await c.query('COMMIT');
          committed++;
          // Let two dashboards run after each commit (the store is used between writes), however slow the machine.
          const seenReads = reads;
          while (reads < seenReads + 2) await new Promise((r) => setTimeout(r, 10));
        }
      });
      const read = (['executive', 'partner_app', 'executive'] as const).map(async (role) => {
        while (writing) {
          const committedBefore = committed;
          const seen = count(await dashboard(role));
          reads++;
          if (seen < base + committedBefore) stale.push({ committedBefore, seen, role });
        }
      });
      await Promise.all(write);
      writing = false;
      await Promise.all(read);
    } finally {
      await Promise.all(writers.map((c) => c.end()));
    }
    expect(stale).toEqual([]);
    expect(reads).toBeGreaterThanOrEqual(12);
    // The race went through the store, not around it.
    expect(store().hits - hitsBefore).toBeGreaterThan(0);
    expect(count(await dashboard('partner_app'))).toBe(base + 18);
  }, 300_000);

  it('is bounded: the least recently used answer goes first; an older version\'s answer never replaces a newer one; a failed read is not kept', async () => {
    const s = new StoredReads(3);
    const read = (value: number) => () => Promise.resolve(value);
    for (const k of ['a', 'b', 'c']) await s.read(k, 'e:1', read(1));
    await s.read('a', 'e:1', read(1));
    await s.read('d', 'e:1', read(1));
    expect(s.size).toBe(3);
    const { misses } = s;
    expect(await s.read('b', 'e:1', read(2))).toBe(2);
    expect(s.misses - misses).toBe(1);
    await s.read('a', 'e:5', read(5));
    // A request that took version 4 before 5 was filed: answered from its own read, 5 kept.
    expect(await s.read('a', 'e:4', read(4))).toBe(4);
    expect(await s.read('a', 'e:5', read(0))).toBe(5);
    await expect(s.read('f', 'e:5', () => Promise.reject(new Error('no database')))).rejects.toThrow('no database');
    expect(await s.read('f', 'e:5', read(6))).toBe(6);
  });
});
