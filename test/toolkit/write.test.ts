import type { EntityManager } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { conflict } from '../../platform/problems';
import { governance } from '../../subgraphs/governance';
import { GovernanceBody } from '../../subgraphs/governance/entities';
import { openDatabase, type Orm } from '../../subgraphs/toolkit/database';
import { importActor, runCommand, write, type Actor, type Command } from '../../subgraphs/toolkit/write';
import { createTestDatabases, type TestDatabases } from '../support/databases';

/** The one write path: a transaction, its audit entries from what was flushed, conflicts from the database. */
describe('write', () => {
  let dbs: TestDatabases;
  let orm: Orm;
  let owner: Client;
  const actor: Actor = { caller: { userId: 'b.member', roles: ['board_member'], org: 'LA' }, operationName: 'AddBody', requestId: 'req-1' };

  beforeAll(async () => {
    dbs = await createTestDatabases([governance]);
    orm = await openDatabase({ url: dbs.logins.governance.appUrl, entities: governance.entities, migrations: governance.migrations });
    owner = new Client({ connectionString: dbs.logins.governance.ownerUrl });
    await owner.connect();
  });
  afterAll(async () => {
    await owner.end();
    await orm.close(true);
    await dbs.drop();
  });
  beforeEach(async () => {
    await owner.query('TRUNCATE governance_body CASCADE');
  });

  const em = () => orm.em.fork() as EntityManager;
  const body = (code: string) => ({ code, name: `Board ${code}`, cadence: 'quarterly', purpose: 'Oversight.', startDate: '2024-04-01', published: true });
  const writes = async (requestId: string) =>
    (await owner.query(`SELECT user_id, operation_name, entity_type, entity_id, fields FROM audit_event WHERE action = 'WRITE' AND request_id = $1 ORDER BY id`, [requestId])).rows;

  it('records every record the flushes wrote, with the fields written, under the actor', async () => {
    const created = await write(em(), actor, async (tx) => {
      const a = tx.create(GovernanceBody, body('A'));
      await tx.flush();
      a.name = 'Renamed';
      tx.create(GovernanceBody, body('B'));
      return a;
    });
    const rows = await writes('req-1');
    expect(rows).toHaveLength(2);
    const forA = rows.find((r) => r.entity_id === created.id);
    expect(forA).toMatchObject({ user_id: 'b.member', operation_name: 'AddBody', entity_type: 'GovernanceBody' });
    // Created with its fields, then renamed in a second flush: one entry with the union.
    expect(forA.fields).toEqual(expect.arrayContaining(['code', 'name', 'purpose', 'startDate']));
    const count = await owner.query(`SELECT count(*)::int AS n FROM governance_body`);
    expect(count.rows[0].n).toBe(2);
  });

  it('writes nothing and records nothing when the work fails', async () => {
    await expect(
      write(em(), { ...actor, requestId: 'req-2' }, async (tx) => {
        tx.create(GovernanceBody, body('C'));
        await tx.flush();
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await writes('req-2')).toEqual([]);
    expect((await owner.query(`SELECT count(*)::int AS n FROM governance_body`)).rows[0].n).toBe(0);
  });

  it('adds entries named for writes made in plain SQL, under an import\'s actor', async () => {
    const importer = importActor('j.bloggs', 'LA', 'import:test');
    await write(em(), importer, async (tx, record) => {
      await tx.getConnection().execute(`INSERT INTO governance_body (code, name, cadence, purpose, starts_on) VALUES ('SQL', 'By SQL', 'monthly', 'x', '2024-01-01')`, [], 'run', tx.getTransactionContext());
      record([{ entityType: 'GovernanceBody', entityId: 'SQL', fields: ['code', 'name'] }]);
    });
    const rows = await writes(importer.requestId);
    expect(rows).toEqual([{ user_id: 'j.bloggs', operation_name: 'import:test', entity_type: 'GovernanceBody', entity_id: 'SQL', fields: ['code', 'name'] }]);
  });

  describe('runCommand', () => {
    const addBody: Command<{ code: string }, { taken: boolean }, GovernanceBody> = {
      load: async (tx, input) => ({ taken: !!(await tx.findOne(GovernanceBody, { code: input.code })) }),
      check: (input, state) => [
        ...(input.code.length > 16 ? [{ field: 'input.code', message: 'input.code: at most 16 characters.' }] : []),
        ...(state.taken ? [{ field: 'input.code', message: `input.code: a body ${input.code} exists.` }] : []),
      ],
      apply: (tx, input) => tx.create(GovernanceBody, body(input.code)),
      onConflict: async (fresh, input) => {
        const existing = await fresh.findOne(GovernanceBody, { code: input.code });
        return existing ? conflict(`A body ${input.code} was recorded a moment ago.`, { type: 'GovernanceBody', id: existing.id }) : null;
      },
    };

    it('answers BAD_USER_INPUT naming every problem, and writes nothing', async () => {
      const err = await runCommand(em(), actor, addBody, { code: 'X'.repeat(20) }).catch((e) => e);
      expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.code', problems: [{ field: 'input.code', message: 'input.code: at most 16 characters.' }] });
      expect((await owner.query(`SELECT count(*)::int AS n FROM governance_body`)).rows[0].n).toBe(0);
    });

    it('lets the database decide a race: identical concurrent writes make one record, the rest a CONFLICT naming it', async () => {
      // No look before the write: only the unique constraint stands between the racers.
      const blind = { ...addBody, load: async () => ({ taken: false }) };
      const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => runCommand(em(), { ...actor, requestId: `race-${i}` }, blind, { code: 'RACE' })));
      const made = results.filter((r) => r.status === 'fulfilled') as Array<PromiseFulfilledResult<GovernanceBody>>;
      const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      expect(made).toHaveLength(1);
      expect(refused).toHaveLength(7);
      expect((await owner.query(`SELECT count(*)::int AS n FROM governance_body WHERE code = 'RACE'`)).rows[0].n).toBe(1);
      for (const r of refused) {
        expect(r.reason.extensions).toEqual({ code: 'CONFLICT', existing: { type: 'GovernanceBody', id: made[0].value.id } });
      }
      const audited = await owner.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'WRITE' AND request_id LIKE 'race-%'`);
      expect(audited.rows[0].n).toBe(1);
    });
  });
});
