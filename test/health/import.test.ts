import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { health } from '../../subgraphs/health';
import { main as importAdvice } from '../../subgraphs/health/import/health-advice-cli';
import { HealthAdviceValidator } from '../../subgraphs/health/import/health-advice';
import { ReferralValidator } from '../../subgraphs/health/import/referrals';
import { main as importReferrals } from '../../subgraphs/health/import/referrals-cli';
import { checkHeader } from '../../subgraphs/health/import/fields';
import { Pathway } from '../../subgraphs/health/entities/enums';
import { openDatabase } from '../../subgraphs/toolkit/database';
import { addDays } from '../../subgraphs/toolkit/dates';
import { linkKeyFor } from '../../subgraphs/toolkit/link-key';
import { adminUrl } from '../support/databases';
import { startHealth, type HealthHarness } from './support';

const TODAY = '2026-11-22';
const SECRET = 'import-test-secret';
// Valid under modulus 11.
const NHS = ['9434765919', '9434765870', '4010232137', '9990000018'];
const HEADER = 'referral_id,nhs_number,service_code,pathway,urgency,received_date,first_contact_date,second_contact_date,discharge_date,discharge_reason';

describe('referral validation (pure)', () => {
  const services = new Map<string, Pathway>([['NN-CAMHS', Pathway.CAMHS], ['SALT', Pathway.SALT]]);
  const row = (over: Record<string, string> = {}) => ({
    referral_id: 'R1', nhs_number: '943 476 5919', service_code: 'NN-CAMHS', pathway: 'CAMHS', urgency: 'ROUTINE', received_date: '2025-01-10',
    first_contact_date: '', second_contact_date: '', discharge_date: '', discharge_reason: '', ...over,
  });

  it('accepts a good row, normalising the NHS number, codes and UK dates', () => {
    const v = new ReferralValidator(services, TODAY);
    expect(v.add(row({ pathway: 'camhs', urgency: 'urgent', first_contact_date: '03/02/2025', discharge_date: '2025-04-01T00:00:00', discharge_reason: 'Treatment completed' }), 2)).toBe(true);
    expect(v.records[0]).toMatchObject({ nhsNumber: '9434765919', pathway: 'CAMHS', urgency: 'URGENT', firstContactDate: '2025-02-03', dischargeDate: '2025-04-01', line: 2 });
  });

  it('reports every problem of a row with line, column, value and rule', () => {
    const v = new ReferralValidator(services, TODAY);
    expect(v.add(row({ nhs_number: '9434765918', pathway: 'DENTAL', urgency: '', received_date: '2025-02-30', discharge_reason: 'Moved' }), 7)).toBe(false);
    expect(v.problems.map((p) => [p.line, p.column, p.value])).toEqual([
      [7, 'nhs_number', '9434765918'], [7, 'pathway', 'DENTAL'], [7, 'urgency', ''], [7, 'received_date', '2025-02-30'], [7, 'discharge_reason', 'Moved'],
    ]);
    expect(v.problems[0].rule).toMatch(/modulus 11/);
    expect(v.records).toHaveLength(0);
  });

  it('checks the order of dates, future dates, and contacts after discharge', () => {
    const v = new ReferralValidator(services, TODAY);
    v.add(row({ first_contact_date: '2025-01-09' }), 2);
    v.add(row({ referral_id: 'R2', second_contact_date: '2025-02-01' }), 3);
    v.add(row({ referral_id: 'R3', first_contact_date: '2025-03-01', discharge_date: '2025-02-01' }), 4);
    v.add(row({ referral_id: 'R4', received_date: '2027-01-01' }), 5);
    v.add(row({ referral_id: 'R5', first_contact_date: '2025-03-01', second_contact_date: '2025-02-01' }), 6);
    v.add(row({ referral_id: 'R6', discharge_date: '2025-01-09' }), 7);
    expect(v.problems.map((p) => [p.line, p.column])).toEqual([
      [2, 'first_contact_date'], [3, 'second_contact_date'], [4, 'first_contact_date'], [5, 'received_date'], [6, 'second_contact_date'], [7, 'discharge_date'],
    ]);
  });

  it('refuses a service on another pathway and a repeated referral id; registers a new service code once', () => {
    const v = new ReferralValidator(services, TODAY);
    v.add(row({ service_code: 'SALT' }), 2);
    v.add(row({ referral_id: 'R2', service_code: 'NEW-OT', pathway: 'OT' }), 3);
    v.add(row({ referral_id: 'R2', service_code: 'NEW-OT', pathway: 'OT' }), 4);
    v.add(row({ referral_id: 'R3', service_code: 'NEW-OT', pathway: 'SALT' }), 5);
    expect(v.problems.map((p) => [p.line, p.column, p.rule])).toEqual([
      [2, 'pathway', 'service SALT is on the SALT pathway'],
      [4, 'referral_id', 'referral_id already used on line 3'],
      [5, 'pathway', 'service NEW-OT is on the OT pathway'],
    ]);
    expect([...v.newServices]).toEqual([['NEW-OT', 'OT']]);
  });

  it('checks the header: missing and repeated columns', () => {
    expect(checkHeader(['referral_id', 'referral_id'], ['referral_id', 'nhs_number']).map((p) => [p.column, p.rule.slice(0, 23)])).toEqual([
      ['referral_id', 'column appears twice in'], ['nhs_number', 'required column missing'],
    ]);
  });

  it('health advice: returned before asked and a repeated assessment are refused', () => {
    const v = new HealthAdviceValidator(TODAY);
    expect(v.add({ assessment_id: 'A1', nhs_number: NHS[0], asked_date: '2025-01-10', returned_date: '' }, 2)).toBe(true);
    v.add({ assessment_id: 'A1', nhs_number: NHS[0], asked_date: '2025-01-10', returned_date: '2025-01-09' }, 3);
    expect(v.problems.map((p) => [p.line, p.column])).toEqual([[3, 'returned_date'], [3, 'assessment_id']]);
  });
});

describe('import commands', () => {
  let h: HealthHarness;
  let dir: string;
  let out: string[];
  let err: string[];
  const io = () => ({
    today: TODAY,
    out: (l: string) => out.push(l),
    err: (l: string) => err.push(l),
    open: async () => {
      const orm = await openDatabase({ url: h.databases.logins.health.appUrl, entities: health.entities, migrations: health.migrations, poolMax: 2 });
      return { orm, config: { linkKeySecret: SECRET }, close: () => orm.close(true) };
    },
  });
  const file = (name: string, lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, lines.join('\n') + '\n');
    return path;
  };
  const q = async <T>(sql: string) => (await h.em().getConnection().execute(sql)) as T[];

  beforeAll(async () => {
    h = await startHealth();
    dir = mkdtempSync(join(tmpdir(), 'health-import-'));
  });
  afterAll(async () => h?.stop());
  beforeEach(() => {
    out = [];
    err = [];
  });

  const good = [
    HEADER,
    `P-1,${NHS[0]},NN-CAMHS,CAMHS,ROUTINE,2025-01-10,2025-03-01,2025-03-15,,`,
    `P-2,${NHS[1]},ND-NORTH,NEURODEVELOPMENTAL,ROUTINE,2024-06-01,,,,`,
    `P-3,${NHS[2]},SALT,SALT,URGENT,2025-02-01,2025-02-20,,2025-06-01,Treatment completed`,
    `P-4,${NHS[0]},"ND-SOUTH",NEURODEVELOPMENTAL,ROUTINE,2025-05-01,,,2025-07-01,"Moved out of area, family relocated"`,
  ];

  it('imports referrals under link keys, storing no NHS number, and audits each write', async () => {
    expect(await importReferrals([file('good.csv', good), '--user', 'j.bloggs'], io())).toBe(0);
    expect(out.join('\n')).toContain('4 referrals created, 0 updated, 0 unchanged');
    const rows = await q<{ source_id: string; link_key: string; discharge_reason: string | null }>('SELECT source_id, link_key, discharge_reason FROM referral ORDER BY source_id');
    expect(rows.map((r) => r.source_id)).toEqual(['P-1', 'P-2', 'P-3', 'P-4']);
    expect(rows[0].link_key).toBe(linkKeyFor(NHS[0], SECRET));
    expect(rows[3].link_key).toBe(rows[0].link_key);
    expect(rows[3].discharge_reason).toBe('Moved out of area, family relocated');
    const dump = JSON.stringify(await q('SELECT * FROM referral'));
    for (const n of NHS) expect(dump).not.toContain(n);
    const audit = await q<{ user_id: string; roles: string[]; org: string; entity_type: string; action: string }>("SELECT user_id, roles, org, entity_type, action FROM audit_event WHERE entity_type = 'Referral'");
    expect(audit).toHaveLength(4);
    expect(audit.every((a) => a.user_id === 'j.bloggs' && a.org === 'ICB' && a.roles.join() === 'admin' && a.action === 'WRITE')).toBe(true);
    // The measures see the import at once: P-2 and P-4 were waiting at the end of June 2025.
    const res = await h.queryAs<{ healthMeasures: Array<{ points: Array<{ value: number }> }> }>('icb_analyst', '{ healthMeasures(codes: ["WAITING_COUNT"], from: "2025-06-01", to: "2025-06-30") { points { value } } }');
    expect(res.data!.healthMeasures[0].points[0].value).toBe(2);
  });

  it('is idempotent: the same file again changes nothing; a changed row is updated, not duplicated', async () => {
    const auditBefore = (await q<{ n: number }>("SELECT count(*)::int AS n FROM audit_event WHERE entity_type = 'Referral'"))[0].n;
    expect(await importReferrals([file('good.csv', good)], io())).toBe(0);
    expect(out.join('\n')).toContain('0 referrals created, 0 updated, 4 unchanged');
    const changed = [...good];
    changed[2] = `P-2,${NHS[1]},ND-NORTH,NEURODEVELOPMENTAL,ROUTINE,2024-06-01,2025-09-01,,,`;
    out = [];
    expect(await importReferrals([file('changed.csv', changed)], io())).toBe(0);
    expect(out.join('\n')).toContain('0 referrals created, 1 updated, 3 unchanged');
    expect((await q<{ n: number }>('SELECT count(*)::int AS n FROM referral'))[0].n).toBe(4);
    expect((await q<{ d: string }>("SELECT to_char(first_contact_date, 'YYYY-MM-DD') AS d FROM referral WHERE source_id = 'P-2'"))[0].d).toBe('2025-09-01');
    const audit = await q<{ fields: string[] }>("SELECT fields FROM audit_event WHERE entity_type = 'Referral' ORDER BY id");
    expect(audit).toHaveLength(auditBefore + 1);
    expect(audit[audit.length - 1].fields).toEqual(['firstContactDate']);
  });

  it('writes in chunks: past a chunk boundary, creates and updates mixed, each write audited exactly once with its fields', async () => {
    // 600 referrals, then 1,203 rows (more than two chunks of 500): the first 600 again, every third with a
    // later first contact, and 603 new ones interleaved across chunk boundaries.
    const rows = (n: number, shift: (i: number) => number) => [
      HEADER,
      ...Array.from({ length: n }, (_, i) => `K-${i},${NHS[i % NHS.length]},SALT,SALT,ROUTINE,${addDays('2024-01-01', i % 300)},${addDays('2024-01-01', (i % 300) + 10 + shift(i))},,,`),
    ];
    expect(await importReferrals([file('chunk-1.csv', rows(600, () => 0))], io())).toBe(0);
    expect(out.join('\n')).toContain('600 referrals created, 0 updated, 0 unchanged');
    const idsBefore = new Map((await q<{ source_id: string; id: string }>("SELECT source_id, id FROM referral WHERE source_id LIKE 'K-%'")).map((r) => [r.source_id, r.id]));
    const lastAudit = (await q<{ n: string }>('SELECT coalesce(max(id), 0)::text AS n FROM audit_event'))[0].n;
    out = [];
    expect(await importReferrals([file('chunk-2.csv', rows(1203, (i) => (i < 600 && i % 3 === 0 ? 5 : 0)))], io())).toBe(0);
    expect(out.join('\n')).toContain('603 referrals created, 200 updated, 400 unchanged');
    const held = await q<{ source_id: string; id: string; first: string }>("SELECT source_id, id, to_char(first_contact_date, 'YYYY-MM-DD') AS first FROM referral WHERE source_id LIKE 'K-%'");
    expect(held).toHaveLength(1203);
    for (const [sourceId, id] of idsBefore) expect(held.find((r) => r.source_id === sourceId)!.id).toBe(id);
    expect(held.find((r) => r.source_id === 'K-3')!.first).toBe(addDays('2024-01-04', 15));
    const audit = await q<{ entity_id: string; fields: string[] }>(`SELECT entity_id, fields FROM audit_event WHERE id > ${lastAudit} AND entity_type = 'Referral'`);
    expect(audit).toHaveLength(803);
    expect(new Set(audit.map((a) => a.entity_id)).size).toBe(803);
    const byId = new Map(held.map((r) => [r.id, Number(r.source_id.slice(2))]));
    for (const a of audit) {
      const i = byId.get(a.entity_id)!;
      if (i < 600) expect([i % 3, a.fields]).toEqual([0, ['firstContactDate']]);
      else expect(a.fields).toEqual(['sourceId', 'linkKey', 'serviceId', 'pathway', 'urgency', 'receivedDate', 'firstContactDate', 'secondContactDate', 'dischargeDate', 'dischargeReason'].sort());
    }
  });

  it('refuses a file with problems, reporting every one, and imports nothing', async () => {
    const bad = [
      HEADER,
      `B-1,${NHS[3]},NN-CAMHS,CAMHS,ROUTINE,2025-01-10,,,,`,
      `B-2,1234567890,NN-CAMHS,CAMHS,ROUTINE,2025-01-10,,,,`,
      `B-3,${NHS[3]},NN-CAMHS,CAMHS,SOON,2025-13-01,,,,`,
      `B-1,${NHS[3]},NN-CAMHS,CAMHS,ROUTINE,2025-01-10,,,,`,
    ];
    const before = (await q<{ n: number }>('SELECT count(*)::int AS n FROM referral'))[0].n;
    expect(await importReferrals([file('bad.csv', bad)], io())).toBe(1);
    const report = out.join('\n');
    expect(report).toContain('4 problem(s) in 4 row(s); nothing was imported');
    expect(report).toContain('line 3, column nhs_number, value (withheld: personal data, 10 characters)');
    expect(report).not.toContain('1234567890');
    expect(report).toContain('line 4, column urgency, value "SOON"');
    expect(report).toContain('line 4, column received_date, value "2025-13-01"');
    expect(report).toContain('line 5, column referral_id, value "B-1": referral_id already used on line 2');
    expect((await q<{ n: number }>('SELECT count(*)::int AS n FROM referral'))[0].n).toBe(before);
  });

  it('with --skip-invalid imports the valid rows and reports the rest', async () => {
    const mixed = [HEADER, `S-1,${NHS[3]},OT,OT,ROUTINE,2025-01-10,,,,`, `S-2,${NHS[3]},OT,CAMHS,ROUTINE,2025-01-10,,,,`];
    expect(await importReferrals([file('mixed.csv', mixed), '--skip-invalid'], io())).toBe(0);
    expect(out.join('\n')).toContain('line 3, column pathway');
    expect(out.join('\n')).toContain('1 referrals created, 0 updated, 0 unchanged, 1 row(s) skipped');
    expect((await q<{ n: number }>("SELECT count(*)::int AS n FROM referral WHERE source_id IN ('S-1', 'S-2')"))[0].n).toBe(1);
  });

  it('registers a service code it has not seen, on the pathway the file gives', async () => {
    const before = (await q<{ n: string }>('SELECT coalesce(max(id), 0)::text AS n FROM audit_event'))[0].n;
    expect(await importReferrals([file('new-service.csv', [HEADER, `N-1,${NHS[3]},BASSETLAW-OT,OT,ROUTINE,2025-01-10,,,,`, `N-2,${NHS[2]},BASSETLAW-SALT,SALT,ROUTINE,2025-01-10,,,,`])], io())).toBe(0);
    expect(out.join('\n')).toContain('BASSETLAW-OT (OT), BASSETLAW-SALT (SALT)');
    const registered = await q<{ id: string; code: string; pathway: string }>("SELECT id, code, pathway FROM health_service WHERE code LIKE 'BASSETLAW-%' ORDER BY code");
    expect(registered.map((r) => [r.code, r.pathway])).toEqual([['BASSETLAW-OT', 'OT'], ['BASSETLAW-SALT', 'SALT']]);
    const audit = await q<{ entity_id: string; fields: string[] }>(`SELECT entity_id, fields FROM audit_event WHERE id > ${before} AND entity_type = 'HealthService' ORDER BY entity_id`);
    expect(audit.map((a) => a.entity_id).sort()).toEqual(registered.map((r) => r.id).sort());
    // The write path records each entry's fields as a sorted set.
    expect(audit[0].fields).toEqual(['code', 'name', 'pathway', 'provider']);
    expect((await q<{ n: number }>(`SELECT count(*)::int AS n FROM audit_event WHERE id > ${before} AND entity_type = 'Referral'`))[0].n).toBe(2);
  });

  it('refuses a file whose header is not a referrals header, and misuse with exit code 2', async () => {
    expect(await importReferrals([file('header.csv', ['referral_id,nhs_number,service_code', 'X,1,2'])], io())).toBe(1);
    expect(out.join('\n')).toMatch(/column pathway, value "": required column missing/);
    expect(await importReferrals([], io())).toBe(2);
    expect(await importReferrals(['--nonsense', 'x.csv'], io())).toBe(2);
    expect(await importReferrals([join(dir, 'missing.csv')], io())).toBe(2);
    expect(err.join('\n')).toContain('No such file');
  });

  it('imports health advice idempotently; the 6-week measure reflects it', async () => {
    const lines = [
      'assessment_id,nhs_number,asked_date,returned_date',
      `EHC-1,${NHS[0]},2025-01-20,2025-03-03`,
      `EHC-2,${NHS[1]},2025-01-15,2025-03-05`,
      `EHC-3,${NHS[2]},2025-03-10,`,
    ];
    expect(await importAdvice([file('advice.csv', lines)], io())).toBe(0);
    expect(out.join('\n')).toContain('3 health advice requests created');
    out = [];
    lines[3] = `EHC-3,${NHS[2]},2025-03-10,2025-03-31`;
    expect(await importAdvice([file('advice2.csv', lines)], io())).toBe(0);
    expect(out.join('\n')).toContain('0 health advice requests created, 1 updated, 2 unchanged');
    const res = await h.queryAs<{ healthMeasures: Array<{ points: Array<{ numerator: number; denominator: number }> }> }>('icb_analyst', '{ healthMeasures(codes: ["HEALTH_ADVICE_6WK_PCT"], from: "2025-03-01", to: "2025-03-31") { points { numerator denominator } } }');
    expect(res.data!.healthMeasures[0].points[0]).toEqual({ numerator: 2, denominator: 3 });
    const bad = ['assessment_id,nhs_number,asked_date,returned_date', `EHC-9,${NHS[0]},2025-01-20,2025-01-19`];
    expect(await importAdvice([file('advice-bad.csv', bad)], io())).toBe(1);
    expect(out.join('\n')).toContain('line 2, column returned_date');
  });

  it('health advice past a chunk boundary: creates and updates mixed, each write audited exactly once', async () => {
    const header = 'assessment_id,nhs_number,asked_date,returned_date';
    const rows = (n: number, returned: (i: number) => string) => [header, ...Array.from({ length: n }, (_, i) => `CH-${i},${NHS[i % NHS.length]},2025-01-20,${returned(i)}`)];
    expect(await importAdvice([file('advice-chunk-1.csv', rows(520, () => ''))], io())).toBe(0);
    expect(out.join('\n')).toContain('520 health advice requests created, 0 updated, 0 unchanged');
    const lastAudit = (await q<{ n: string }>('SELECT coalesce(max(id), 0)::text AS n FROM audit_event'))[0].n;
    out = [];
    // 1,040 rows: the 520 held, the ones from 500 on now returned (across the chunk boundary), and 520 new.
    expect(await importAdvice([file('advice-chunk-2.csv', rows(1040, (i) => (i >= 500 && i < 520 ? '2025-02-20' : '')))], io())).toBe(0);
    expect(out.join('\n')).toContain('520 health advice requests created, 20 updated, 500 unchanged');
    expect((await q<{ n: number }>("SELECT count(*)::int AS n FROM health_advice_request WHERE assessment_id LIKE 'CH-%'"))[0].n).toBe(1040);
    const audit = await q<{ assessment_id: string; fields: string[] }>(`SELECT r.assessment_id, a.fields FROM audit_event a JOIN health_advice_request r ON r.id::text = a.entity_id
      WHERE a.id > ${lastAudit} AND a.entity_type = 'HealthAdvice'`);
    expect(audit).toHaveLength(540);
    expect(new Set(audit.map((a) => a.assessment_id)).size).toBe(540);
    for (const a of audit) {
      const i = Number(a.assessment_id.slice(3));
      if (i < 520) expect([i >= 500, a.fields]).toEqual([true, ['returnedDate']]);
      else expect(a.fields).toEqual(['assessmentId', 'linkKey', 'askedDate', 'returnedDate'].sort());
    }
  });

  it('runs through the real command-line database connection (DATABASE_URL)', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { DATABASE_URL: adminUrl(), DB_PREFIX: h.databases.prefix, DATA_DIR: mkdtempSync(join(tmpdir(), 'health-cli-')), LINK_KEY_SECRET: SECRET });
    try {
      expect(await importReferrals([file('cli.csv', [HEADER, `C-1,${NHS[3]},PHYSIO,PHYSIOTHERAPY,ROUTINE,2025-01-10,,,,`])], { today: TODAY, out: (l) => out.push(l), err: (l) => err.push(l) })).toBe(0);
    } finally {
      process.env = saved;
    }
    expect((await q<{ link_key: string }>("SELECT link_key FROM referral WHERE source_id = 'C-1'"))[0].link_key).toBe(linkKeyFor(NHS[3], SECRET));
  });
});
