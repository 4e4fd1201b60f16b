import type { EntityManager } from '@mikro-orm/postgresql';
import { health } from '../../subgraphs/health';
import { HealthService, Referral, SpaceAttendance, SpaceCohort, SpaceEnrolment } from '../../subgraphs/health/entities';
import { openDatabase, type Orm } from '../../subgraphs/toolkit/database';
import { insertInChunks } from '../../subgraphs/toolkit/synthetic/insert';
import { createTestDatabases, type TestDatabases } from '../support/databases';

/**
 * The seeds' insert (one statement over column arrays) writes what the ORM's own
 * multi-row insert writes: the same rows, read back from real PostgreSQL, for
 * strings that need escaping inside an array, nulls, dates, numbers, booleans
 * and references, in a transaction and out of one, and in several statements.
 */
describe('the seeds\' insert of plain rows', () => {
  let dbs: TestDatabases;
  let orm: Orm;
  let service: string;
  const em = () => orm.em.fork() as EntityManager;
  const read = async (sql: string): Promise<Array<Record<string, unknown>>> => em().getConnection().execute(sql);

  beforeAll(async () => {
    dbs = await createTestDatabases([health]);
    orm = await openDatabase({ url: dbs.logins.health.ownerUrl, entities: health.entities, migrations: health.migrations, poolMax: 1 });
    service = (await em().findOneOrFail(HealthService, { code: 'SALT' })).id;
  }, 120_000);
  afterAll(async () => {
    await orm?.close(true);
    await dbs?.drop();
  });

  const awkward = ['plain', 'with "quotes"', 'back\\slash', 'comma, {braces}', 'NULL', "it's", ' spaced ', 'é and ü'];
  const referrals = (prefix: 'orm' | 'arr' | 'dft') =>
    awkward.map((reason, i) => ({
      id: `${{ orm: 'a', arr: 'b', dft: 'c' }[prefix]}000000${i}-0000-4000-8000-000000000000`,
      sourceId: `${prefix}-${i}`,
      linkKey: `key-${i}`,
      service,
      pathway: 'SALT',
      urgency: i % 2 ? 'URGENT' : 'ROUTINE',
      receivedDate: `2024-0${1 + (i % 9)}-1${i % 10}`,
      firstContactDate: i % 3 ? null : '2024-12-01',
      secondContactDate: null,
      dischargeDate: i % 2 ? '2025-02-28' : null,
      dischargeReason: i % 2 ? reason : null,
    }));
  const columns = 'source_id, link_key, service_id, pathway, urgency, received_date, first_contact_date, second_contact_date, discharge_date, discharge_reason';
  const withoutPrefix = (rows: Array<Record<string, unknown>>) => rows.map((r) => ({ ...r, source_id: String(r.source_id).replace(/^[a-z]+-/, '') }));

  it('writes referrals exactly as the ORM does, a few rows per statement and inside a transaction', async () => {
    await em().insertMany(Referral, referrals('orm') as never);
    await em().transactional((t) => insertInChunks(t as EntityManager, Referral, referrals('arr'), 3));
    const orm = await read(`SELECT ${columns} FROM referral WHERE source_id LIKE 'orm-%' ORDER BY source_id`);
    const arrays = await read(`SELECT ${columns} FROM referral WHERE source_id LIKE 'arr-%' ORDER BY source_id`);
    expect(orm).toHaveLength(awkward.length);
    expect(withoutPrefix(arrays)).toEqual(withoutPrefix(orm));
    expect(arrays.map((r) => r.discharge_reason).filter(Boolean)).toEqual(awkward.filter((_, i) => i % 2));
  });

  it('writes booleans, numbers and references of SPACE rows as the ORM does', async () => {
    const rows = (n: number) => {
      const cohort = { id: `c000000${n}-0000-4000-8000-000000000000`, name: `Group ${n}`, service, delivery: 'GROUP', startDate: '2025-01-06', plannedSessions: 12 };
      const enrolment = { id: `e000000${n}-0000-4000-8000-000000000000`, cohort: cohort.id, linkKey: `family-${n}`, fasaBefore: 21, fasaAfter: null };
      const attendance = [1, 2, 3].map((s) => ({ id: `a00000${n}${s}-0000-4000-8000-000000000000`, enrolment: enrolment.id, sessionNumber: s, sessionDate: `2025-01-${String(6 + 7 * (s - 1)).padStart(2, '0')}`, attended: s !== 2 }));
      return { cohort, enrolment, attendance };
    };
    const a = rows(1);
    const b = rows(2);
    await em().insertMany(SpaceCohort, [a.cohort] as never);
    await em().insertMany(SpaceEnrolment, [a.enrolment] as never);
    await em().insertMany(SpaceAttendance, a.attendance as never);
    await insertInChunks(em(), SpaceCohort, [b.cohort]);
    await insertInChunks(em(), SpaceEnrolment, [b.enrolment]);
    await insertInChunks(em(), SpaceAttendance, b.attendance, 2);
    const of = async (n: number) => ({
      enrolment: await read(`SELECT link_key, fasa_before, fasa_after FROM space_enrolment WHERE link_key = 'family-${n}'`),
      attendance: await read(`SELECT session_number, session_date, attended FROM space_attendance a JOIN space_enrolment e ON e.id = a.enrolment_id WHERE e.link_key = 'family-${n}' ORDER BY session_number`),
    });
    const [ormRows, arrayRows] = [await of(1), await of(2)];
    expect(arrayRows.attendance.map((r) => r.attended)).toEqual([true, false, true]);
    expect({ ...arrayRows, enrolment: arrayRows.enrolment.map((r: Record<string, unknown>) => ({ ...r, link_key: 'family' })) }).toEqual({ ...ormRows, enrolment: ormRows.enrolment.map((r: Record<string, unknown>) => ({ ...r, link_key: 'family' })) });
  });

  it('leaves to the ORM a row missing a value the database must default (the id)', async () => {
    const [row] = referrals('dft');
    const { id: _id, ...withoutId } = row;
    await insertInChunks(em(), Referral, [withoutId]);
    const [inserted] = await read(`SELECT id FROM referral WHERE source_id = 'dft-0'`);
    expect(String(inserted.id)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
