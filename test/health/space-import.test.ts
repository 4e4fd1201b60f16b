import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { health } from '../../subgraphs/health';
import { healthCatalogue } from '../../subgraphs/health/measures/catalogue';
import { formatProblems } from '../../subgraphs/health/import/fields';
import { parseAttendance, SpaceValidator } from '../../subgraphs/health/import/space';
import { main as importSpace } from '../../subgraphs/health/import/space-cli';
import { openDatabase } from '../../subgraphs/toolkit/database';
import { linkKeyFor } from '../../subgraphs/toolkit/link-key';
import { Interval } from '../../subgraphs/toolkit/measures/periods';
import { measureSeries } from '../../subgraphs/toolkit/measures/series';
import { startHealth, type HealthHarness } from './support';

const TODAY = '2026-11-22';
const SECRET = 'space-import-test-secret';
const FIXTURE = join(__dirname, 'fixtures', 'space.csv');
// Valid under modulus 11; the fixture's children.
const NHS = ['9990000018', '9990000026', '9990000034', '9990000042', '9990000050'];
const HEADER = 'cohort_id,cohort_name,service_code,delivery,start_date,planned_sessions,nhs_number,fasa_before,fasa_after,attendance';

describe('SPACE file validation (pure)', () => {
  const services = new Map([['SPACE', 'SPACE'], ['NN-CAMHS', 'CAMHS']]);
  const row = (over: Record<string, string> = {}) => ({
    cohort_id: 'C1', cohort_name: 'Mansfield group', service_code: 'SPACE', delivery: 'GROUP', start_date: '2025-03-03', planned_sessions: '12',
    nhs_number: NHS[0], fasa_before: '24', fasa_after: '14', attendance: 'YYYYYYYYYNYY', ...over,
  });

  it('reads attendance as one letter a session, Y or N, spaces and case ignored', () => {
    expect(parseAttendance('yY n')).toEqual({ ok: true, value: [true, true, false] });
    expect(parseAttendance('')).toEqual({ ok: true, value: [] });
    expect(parseAttendance('YY1').ok).toBe(false);
  });

  it('accepts a good row: one cohort, the family with its scores and attendance', () => {
    const v = new SpaceValidator(services, TODAY);
    expect(v.add(row({ delivery: 'one to one', start_date: '03/03/2025', fasa_after: '' }), 2)).toBe(true);
    expect(v.records[0]).toMatchObject({ cohortId: 'C1', nhsNumber: NHS[0], fasaBefore: 24, fasaAfter: null, line: 2 });
    expect(v.records[0].attended.filter(Boolean)).toHaveLength(11);
    expect(v.cohorts.get('C1')).toMatchObject({ delivery: 'ONE_TO_ONE', startDate: '2025-03-03', plannedSessions: 12 });
  });

  it('names every problem of every row with line and column, withholding personal values', () => {
    const v = new SpaceValidator(services, TODAY);
    v.add(row(), 2);
    // Every cohort column wrong against line 2, and the same child twice.
    v.add(row({ cohort_name: 'Other', service_code: 'SPACE', delivery: 'ONE_TO_ONE', start_date: '2025-03-10', planned_sessions: '10', attendance: 'YYYYYYYYYY' }), 3);
    v.add(row({ cohort_id: 'C2', service_code: 'NN-CAMHS', nhs_number: '9990000019', fasa_before: '37', fasa_after: '-1', attendance: 'YYYYYYYYYYYYY' }), 4);
    v.add(row({ cohort_id: 'C3', service_code: 'NOPE', planned_sessions: '0', delivery: 'ONLINE', fasa_after: '12.5', attendance: 'YYX' }), 5);
    v.add(row({ cohort_id: 'C4', start_date: '2026-11-02', attendance: 'YYNY', fasa_after: '' }), 6);
    v.add(row({ cohort_id: '', cohort_name: '', start_date: '2026-11-23', nhs_number: '', fasa_after: '9', attendance: '' }), 7);
    expect(v.problems.map((p) => [p.line, p.column])).toEqual([
      [3, 'cohort_name'], [3, 'delivery'], [3, 'start_date'], [3, 'planned_sessions'], [3, 'nhs_number'],
      [4, 'nhs_number'], [4, 'fasa_before'], [4, 'fasa_after'], [4, 'service_code'], [4, 'attendance'],
      [5, 'delivery'], [5, 'planned_sessions'], [5, 'fasa_after'], [5, 'attendance'], [5, 'service_code'],
      [6, 'attendance'],
      [7, 'cohort_id'], [7, 'cohort_name'], [7, 'start_date'], [7, 'nhs_number'], [7, 'fasa_after'],
    ]);
    const rule = (line: number, column: string) => v.problems.find((p) => p.line === line && p.column === column)!.rule;
    expect(rule(3, 'start_date')).toBe('cohort C1 has a different start_date on line 2; every row of a cohort gives the same');
    expect(rule(3, 'nhs_number')).toBe('this child is already enrolled in cohort C1 on line 2');
    expect(rule(4, 'fasa_before')).toBe('must be a whole number from 0 to 36 (the FASA total)');
    expect(rule(4, 'service_code')).toBe('service NN-CAMHS is on the CAMHS pathway, not SPACE');
    expect(rule(4, 'attendance')).toBe('records 13 sessions; the cohort plans 12');
    expect(rule(5, 'service_code')).toMatch(/no service with this code is held; a SPACE cohort is run by one of: SPACE$/);
    expect(rule(6, 'attendance')).toBe('records session 4, which falls on 2026-11-23, after today (2026-11-22); sessions are weekly from start_date');
    expect(rule(7, 'fasa_after')).toBe('an after score needs the family\'s attendance');
    expect(v.records).toHaveLength(1);
    const report = formatProblems(v.problems);
    expect(report).toContain('line 4, column fasa_before, value (withheld: personal data, 2 characters)');
    for (const secret of ['9990000019', '"37"', '"-1"', 'YYYYYYYYYYYYY', '"YYNY"', '"YYX"']) expect(report).not.toContain(secret);
    expect(report).toContain('line 5, column delivery, value "ONLINE": must be one of GROUP, ONE_TO_ONE');
  });
});

describe('npm run import:space', () => {
  let h: HealthHarness;
  let dir: string;
  let out: string[];
  const io = () => ({
    today: TODAY,
    out: (l: string) => out.push(l),
    err: () => undefined,
    open: async () => {
      const orm = await openDatabase({ url: h.databases.logins.health.appUrl, entities: health.entities, migrations: health.migrations, poolMax: 2 });
      return { orm, config: { linkKeySecret: SECRET }, close: () => orm.close(true) };
    },
  });
  const q = async <T>(sql: string) => (await h.em().getConnection().execute(sql)) as T[];
  const n = async (sql: string) => (await q<{ n: number }>(sql))[0].n;
  const held = async () => ({
    cohorts: await n('SELECT count(*)::int AS n FROM space_cohort'),
    families: await n('SELECT count(*)::int AS n FROM space_enrolment'),
    sessions: await n('SELECT count(*)::int AS n FROM space_attendance'),
    audit: await n('SELECT count(*)::int AS n FROM audit_event'),
  });
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const measures = async (from: string, to: string, interval = Interval.MONTH) => {
    const series = await measureSeries(h.em(), healthCatalogue, { codes: ['SPACE_FAMILIES_ENROLLED', 'SPACE_COMPLETION_PCT', 'SPACE_FASA_MEAN_CHANGE'], from, to, interval, bindings: {} });
    return Object.fromEntries(series.map((s) => [s.code, s.points.map((p) => [p.numerator, p.denominator, p.value])]));
  };

  beforeAll(async () => {
    h = await startHealth();
    dir = mkdtempSync(join(tmpdir(), 'space-import-'));
  });
  afterAll(async () => h?.stop());
  beforeEach(() => {
    out = [];
  });

  it('imports the fixture: cohorts, families under link keys, sessions dated weekly, each write audited', async () => {
    expect(await importSpace([FIXTURE, '--user', 'space.lead'], io())).toBe(0);
    expect(out.join('\n')).toContain('6 SPACE enrolments created, 0 updated, 0 unchanged');
    expect(out.join('\n')).toContain('SPACE cohorts: 3 created, 0 updated, 0 unchanged. Sessions attended or missed: 49 created, 0 updated, 0 unchanged.');
    const cohorts = await q<{ source_id: string; name: string; delivery: string; start: string; planned_sessions: number; code: string }>(
      `SELECT c.source_id, c.name, c.delivery, to_char(c.start_date, 'YYYY-MM-DD') AS start, c.planned_sessions, s.code
       FROM space_cohort c JOIN health_service s ON s.id = c.service_id ORDER BY c.source_id`);
    expect(cohorts.map((c) => [c.source_id, c.name, c.delivery, c.start, c.planned_sessions, c.code])).toEqual([
      ['MAN-2025-SPRING', 'Mansfield group, spring 2025', 'GROUP', '2025-03-03', 12, 'SPACE'],
      ['MAN-2026-AUTUMN', 'Mansfield group, autumn 2026', 'GROUP', '2026-11-02', 12, 'SPACE'],
      ['NEW-2025-1TO1', 'Newark one-to-one, summer 2025', 'ONE_TO_ONE', '2025-06-02', 10, 'SPACE'],
    ]);
    // The first child is in two cohorts, under the same link key.
    const families = await q<{ source_id: string; link_key: string; fasa_before: number | null; fasa_after: number | null; sessions: number; attended: number; last: string | null }>(
      `SELECT c.source_id, e.link_key, e.fasa_before, e.fasa_after, count(a.id)::int AS sessions, count(a.id) FILTER (WHERE a.attended)::int AS attended,
         to_char(max(a.session_date), 'YYYY-MM-DD') AS last
       FROM space_enrolment e JOIN space_cohort c ON c.id = e.cohort_id LEFT JOIN space_attendance a ON a.enrolment_id = e.id
       GROUP BY c.source_id, e.link_key, e.fasa_before, e.fasa_after ORDER BY c.source_id, e.fasa_before`);
    const key = (i: number) => linkKeyFor(NHS[i], SECRET);
    expect(families.map((f) => [f.source_id, f.link_key, f.fasa_before, f.fasa_after, f.sessions, f.attended, f.last])).toEqual([
      ['MAN-2025-SPRING', key(1), 20, 18, 12, 9, '2025-05-19'],
      ['MAN-2025-SPRING', key(0), 24, 14, 12, 11, '2025-05-19'],
      ['MAN-2025-SPRING', key(2), 28, null, 12, 4, '2025-05-19'],
      ['MAN-2026-AUTUMN', key(4), 26, null, 3, 2, '2026-11-16'],
      ['MAN-2026-AUTUMN', key(0), null, null, 0, 0, null],
      ['NEW-2025-1TO1', key(3), 30, 22, 10, 9, '2025-08-04'],
    ]);
    const dump = JSON.stringify(await q('SELECT * FROM space_enrolment'));
    for (const nhs of NHS) expect(dump).not.toContain(nhs);
    const audit = await q<{ entity_type: string; n: number; users: string[]; orgs: string[]; roles: string[]; actions: string[] }>(
      `SELECT entity_type, count(*)::int AS n, array_agg(DISTINCT user_id) AS users, array_agg(DISTINCT org) AS orgs, array_agg(DISTINCT array_to_string(roles, ',')) AS roles, array_agg(DISTINCT action) AS actions
       FROM audit_event WHERE entity_type LIKE 'Space%' GROUP BY entity_type ORDER BY entity_type`);
    expect(audit.map((a) => [a.entity_type, a.n, a.users, a.orgs, a.roles, a.actions])).toEqual([
      ['SpaceAttendance', 49, ['space.lead'], ['ICB'], ['admin'], ['WRITE']],
      ['SpaceCohort', 3, ['space.lead'], ['ICB'], ['admin'], ['WRITE']],
      ['SpaceEnrolment', 6, ['space.lead'], ['ICB'], ['admin'], ['WRITE']],
    ]);
    // Each audited id is a row written.
    expect(await n(`SELECT count(*)::int AS n FROM audit_event a WHERE a.entity_type = 'SpaceAttendance' AND NOT EXISTS (SELECT 1 FROM space_attendance s WHERE s.id::text = a.entity_id)`)).toBe(0);
  });

  it('the SPACE measures reflect the imported file', async () => {
    // Spring cohort: 3 families start in March 2025 and finish in May (11 and 9 of 12 sessions complete, 4 does not;
    // FASA changes -10 and -2). The one-to-one starts in June and finishes in August (9 of 10; -8).
    const months = await measures('2025-03-01', '2025-08-31');
    expect(months.SPACE_FAMILIES_ENROLLED.map((p) => p[0])).toEqual([3, 0, 0, 1, 0, 0]);
    expect(months.SPACE_COMPLETION_PCT[2]).toEqual([2, 3, 66.7]);
    expect(months.SPACE_COMPLETION_PCT[5]).toEqual([1, 1, 100]);
    expect(months.SPACE_FASA_MEAN_CHANGE[2]).toEqual([-12, 2, -6]);
    expect(months.SPACE_FASA_MEAN_CHANGE[5]).toEqual([-8, 1, -8]);
    const november = await measures('2026-11-01', '2026-11-30');
    expect(november.SPACE_FAMILIES_ENROLLED[0][0]).toBe(2);
  });

  it('is idempotent: the same file again writes nothing; a changed family is updated, not duplicated', async () => {
    const before = await held();
    expect(await importSpace([FIXTURE], io())).toBe(0);
    expect(out.join('\n')).toContain('0 SPACE enrolments created, 0 updated, 6 unchanged');
    expect(out.join('\n')).toContain('SPACE cohorts: 0 created, 0 updated, 3 unchanged. Sessions attended or missed: 0 created, 0 updated, 49 unchanged.');
    expect(await held()).toEqual(before);

    // The first family's missed 10th session was attended after all; the third family's after score arrives;
    // the autumn cohort's fourth session has not happened yet, so nothing else changes.
    const lines = readFileSync(FIXTURE, 'utf8').split('\n');
    lines[1] = lines[1].replace('YYYYYYYYYNYY', 'YYYYYYYYYYYY');
    lines[3] = lines[3].replace('28,,', '28,21,');
    out = [];
    const lastAudit = await n('SELECT coalesce(max(id), 0)::int AS n FROM audit_event');
    expect(await importSpace([file('changed.csv', lines.join('\n'))], io())).toBe(0);
    expect(out.join('\n')).toContain('0 SPACE enrolments created, 2 updated, 4 unchanged');
    expect(out.join('\n')).toContain('Sessions attended or missed: 0 created, 1 updated, 48 unchanged.');
    expect(await held()).toEqual({ ...before, audit: before.audit + 2 });
    const audit = await q<{ entity_type: string; fields: string[] }>(`SELECT entity_type, fields FROM audit_event WHERE id > ${lastAudit} ORDER BY entity_type`);
    expect(audit.map((a) => [a.entity_type, a.fields])).toEqual([['SpaceAttendance', ['attended']], ['SpaceEnrolment', ['fasaAfter']]]);
    // The third family now has both scores: May's mean change is (-10 - 2 - 7) / 3.
    expect((await measures('2025-05-01', '2025-05-31')).SPACE_FASA_MEAN_CHANGE[0]).toEqual([-19, 3, -6.3]);
  });

  it('refuses a file with problems, naming every one by line and column without personal data, and writes nothing', async () => {
    const before = await held();
    const lines = [
      HEADER,
      `NEW-2026,"Worksop group, 2026",SPACE,GROUP,2026-01-05,12,${NHS[0]},20,15,YYYYYYYYYYYY`,
      `NEW-2026,"Worksop group, 2026",SPACE,GROUP,2026-01-12,12,${NHS[1]},40,,YYYY`,
      `NEW-2026,"Worksop group, 2026",SPACE,GROUP,2026-01-05,12,9990000019,20,,YYYZ`,
      `NEW-2026,"Worksop group, 2026",SPACE,GROUP,2026-01-05,12,${NHS[0]},20,15,YYYYYYYYYYYY`,
    ];
    expect(await importSpace([file('bad.csv', lines.join('\n'))], io())).toBe(1);
    const report = out.join('\n');
    expect(report).toContain('5 problem(s) in 4 row(s); nothing was imported');
    expect(report).toContain('line 3, column start_date, value "2026-01-12": cohort NEW-2026 has a different start_date on line 2');
    expect(report).toContain('line 3, column fasa_before, value (withheld: personal data, 2 characters): must be a whole number from 0 to 36');
    expect(report).toContain('line 4, column nhs_number, value (withheld: personal data, 10 characters): not a valid NHS number');
    expect(report).toContain('line 4, column attendance, value (withheld: personal data, 4 characters)');
    expect(report).toContain('line 5, column nhs_number, value (withheld: personal data, 10 characters): this child is already enrolled in cohort NEW-2026 on line 2');
    for (const secret of [...NHS, '9990000019', '"40"', 'YYYZ']) expect(report).not.toContain(secret);
    expect(await held()).toEqual(before);
    expect(await n("SELECT count(*)::int AS n FROM space_cohort WHERE source_id = 'NEW-2026'")).toBe(0);
  });

  it('all or nothing in the database too: a failure writing the last session leaves no cohort, family or audit entry', async () => {
    const before = await held();
    const em = h.em();
    await em.getConnection().execute(`CREATE FUNCTION space_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused for the test'; END $$;
      CREATE TRIGGER space_test_refuse BEFORE INSERT ON space_attendance FOR EACH STATEMENT EXECUTE FUNCTION space_test_refuse();`);
    try {
      const path = file('fresh.csv', `${HEADER}\nFRESH-1,"Fresh group",SPACE,GROUP,2026-01-05,12,${NHS[2]},20,15,YYYYYYYYYYYY\n`);
      const errors: string[] = [];
      expect(await importSpace([path], { ...io(), err: (l: string) => errors.push(l) })).toBe(1);
      expect(errors.join('\n')).toMatch(/nothing was imported/);
      expect(errors.join('\n')).not.toContain('refused for the test');
    } finally {
      await em.getConnection().execute('DROP TRIGGER space_test_refuse ON space_attendance; DROP FUNCTION space_test_refuse();');
    }
    expect(await held()).toEqual(before);
    expect(await n("SELECT count(*)::int AS n FROM space_cohort WHERE source_id = 'FRESH-1'")).toBe(0);
  });

  it('with --skip-invalid writes the valid rows only, and no cohort whose every row was skipped', async () => {
    const lines = [
      HEADER,
      `SKIP-1,"Skip group",SPACE,GROUP,2026-02-02,12,${NHS[3]},20,,YYYY`,
      `SKIP-2,"Skipped group",SPACE,GROUP,2026-02-02,12,${NHS[3]},99,,YYYY`,
    ];
    expect(await importSpace([file('skip.csv', lines.join('\n')), '--skip-invalid'], io())).toBe(0);
    expect(out.join('\n')).toContain('1 SPACE enrolments created, 0 updated, 0 unchanged, 1 row(s) skipped');
    expect((await q<{ source_id: string }>("SELECT source_id FROM space_cohort WHERE source_id LIKE 'SKIP-%'")).map((c) => c.source_id)).toEqual(['SKIP-1']);
  });
});
