import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { governance } from '../../subgraphs/governance';
import { main } from '../../subgraphs/governance/import/cli';
import { parseDfeFile, type ParsedFile } from '../../subgraphs/governance/import/dfe';
import { shippedReleaseFolder } from '../../subgraphs/governance/seed/published';
import { openDatabase, type Orm } from '../../subgraphs/toolkit/database';
import { createTestDatabases, type TestDatabases } from '../support/databases';

const REAL = '/work/shared/reference/dfe-ehc-plans-2025';
const RELEASE = existsSync(REAL) ? REAL : shippedReleaseFolder();

/** A copy of the shipped release with every year moved on by one: what the 2026 release's files look like. */
function nextRelease(files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'dfe-2026-'));
  for (const f of files) {
    const text = readFileSync(join(shippedReleaseFolder(), f), 'utf8');
    const [header, ...rows] = text.trimEnd().split('\n');
    const moved = rows.map((r) => r.replace(/^(\d{4})(\d{2})?,/, (_m, y: string, a?: string) => `${Number(y) + 1}${a ? String((Number(a) + 1) % 100).padStart(2, '0') : ''},`));
    writeFileSync(join(dir, f), [header, ...moved].join('\n') + '\n');
  }
  return dir;
}

describe('npm run import:dfe: a whole release, all or nothing, idempotent, later replaces earlier', () => {
  let dbs: TestDatabases;
  let orm: Orm;
  const lines: string[] = [];
  const io = () => ({ out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), open: async () => ({ orm, close: async () => undefined }) });
  const sql = async <T>(q: string) => (await orm.em.fork().getConnection().execute(q)) as T[];
  const snapshot = () => sql<{ measure_code: string; year: number; area_code: string; value: number | null; release: number }>('SELECT measure_code, year, area_code, value, release FROM published_comparator ORDER BY 1, 2, 3');
  beforeAll(async () => {
    dbs = await createTestDatabases([governance]);
    orm = await openDatabase({ url: dbs.logins.governance.appUrl, entities: governance.entities, migrations: governance.migrations });
  });
  afterAll(async () => {
    await orm?.close(true);
    await dbs?.drop();
  });
  beforeEach(() => { lines.length = 0; });

  it('imports the release folder: all seven files DfE gave, every figure, and says which of the eight is not there', async () => {
    expect(await main([RELEASE, '--user', 'analyst.a'], io())).toBe(0);
    const out = lines.join('\n');
    expect(out).toContain('Not in this set, so left as they are: ceased_plans.csv.');
    expect(out).toMatch(/Imported release 2025: \d+ new, 0 updated, 0 removed/);
    const codes = (await sql<{ measure_code: string }>('SELECT DISTINCT measure_code FROM published_comparator')).map((r) => r.measure_code);
    for (const c of ['EHC_20WK_EXCL', 'EHCNA_REQUESTS', 'PLANS_ACTIVE', 'AR_DECISION_4WK', 'PLANS_NEW', 'PLANS_NEED_ASD', 'ASSESSMENTS', 'PLANS_PLACEMENT_SPECIAL', 'REQUESTS_MEDIATION', 'ASSESSMENTS_TRIBUNAL']) expect(codes).toContain(c);
    // Nottinghamshire's primary needs add up to its plans (DfE's own figures, January 2025).
    const needs = await sql<{ parts: number; whole: number }>(`SELECT sum(value)::int AS parts, max(denominator)::int AS whole FROM published_comparator WHERE measure_code LIKE 'PLANS_NEED_%' AND area_code = 'E10000024' AND year = 2025`);
    expect(needs[0].parts).toBe(needs[0].whole);
    const audit = await sql<{ entity_id: string }>(`SELECT entity_id FROM audit_event WHERE entity_type = 'PublishedComparatorImport' AND user_id = 'analyst.a' ORDER BY 1`);
    expect(audit.map((a) => a.entity_id)).toEqual(['annual_reviews.csv', 'assessments.csv', 'caseload.csv', 'newplans.csv', 'requests.csv', 'sen_needs_all_plans.csv', 'timeliness_20_week.csv']);
  });

  it('re-importing the same release changes nothing', async () => {
    const before = await snapshot();
    expect(await main([RELEASE], io())).toBe(0);
    expect(lines.at(-1)).toBe(`Imported release 2025: 0 new, ${before.length} updated, 0 removed (re-importing the same release changes nothing).`);
    expect(await snapshot()).toEqual(before);
  });

  it('all or nothing across files: one bad row in one file, and no file is imported; every problem is named with its file', async () => {
    const before = await snapshot();
    const dir = mkdtempSync(join(tmpdir(), 'dfe-bad-'));
    cpSync(shippedReleaseFolder(), dir, { recursive: true });
    const file = join(dir, 'assessments.csv');
    const text = readFileSync(file, 'utf8').split('\n');
    text[3] = text[3].replace(/,England,,,,,All EHC needs assessments,All EHC needs assessments,(\d+|x),/, ',England,,,,,All EHC needs assessments,All EHC needs assessments,many,');
    text[5] = text[5].replace('Calendar year', 'Financial year');
    writeFileSync(file, text.join('\n'));
    const requests = readFileSync(join(shippedReleaseFolder(), 'requests.csv'), 'utf8').trimEnd().split('\n');
    writeFileSync(join(dir, 'requests.csv'), [...requests, requests[1]].join('\n'));
    expect(await main([dir], io())).toBe(1);
    const out = lines.join('\n');
    expect(out).toContain('assessments.csv: line 6, column time_identifier');
    expect(out).toContain('requests.csv: line');
    expect(out).toContain('duplicates line');
    expect(out).toContain('Nothing imported.');
    expect(await snapshot()).toEqual(before);
  });

  it('a later release replaces the earlier one\'s figures for the files it carries; the earlier one can then not come back', async () => {
    const next = nextRelease(['requests.csv', 'timeliness_20_week.csv']);
    expect(await main([next], io())).toBe(0);
    const after = await snapshot();
    const requests = after.filter((r) => r.measure_code === 'EHCNA_REQUESTS');
    expect(new Set(requests.map((r) => r.release))).toEqual(new Set([2026]));
    expect(Math.min(...requests.map((r) => r.year))).toBe(2020);
    expect(Math.max(...requests.map((r) => r.year))).toBe(2025);
    expect(lines.at(-1)).toMatch(/Imported release 2026: \d+ new, \d+ updated, [1-9]\d* removed/);
    // Figures of files the later release did not carry stay as the 2025 release gave them.
    expect(new Set(after.filter((r) => r.measure_code === 'PLANS_ACTIVE').map((r) => r.release))).toEqual(new Set([2025]));
    // Idempotent, and an earlier release is refused without a change.
    expect(await main([next], io())).toBe(0);
    expect(await snapshot()).toEqual(after);
    expect(await main([join(shippedReleaseFolder(), 'requests.csv')], io())).toBe(1);
    expect(lines.join('\n')).toContain('release 2025 is earlier than the figures already imported for EHCNA_DECISION_6WK (release 2026)');
    expect(await snapshot()).toEqual(after);
  });

  it('files of different releases, or two copies of one file, are refused before anything is read into the database', async () => {
    const next = nextRelease(['requests.csv']);
    expect(await main([join(next, 'requests.csv'), join(shippedReleaseFolder(), 'caseload.csv')], io())).toBe(2);
    expect(lines.join('\n')).toContain('different releases');
    expect(await main([join(next, 'requests.csv'), join(shippedReleaseFolder(), 'requests.csv')], io())).toBe(2);
    expect(lines.join('\n')).toContain('a second requests.csv');
  });
});

describe('ceased_plans.csv (no real copy shipped: the columns of DfE\'s data guidance)', () => {
  it('gives the plans ceased and each reason as part of the whole', async () => {
    const header = 'time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,old_la_code,la_name,breakdown_topic,breakdown,total_ceased,deceased,employ,he,max_age,moved_outside_eng,needs_met,no_engage,not_rec,other,transfer';
    const text = [header,
      '2024,Calendar year,Local authority,E92000001,England,E12000004,East Midlands,E10000024,891,Nottinghamshire,All ceased EHC plans,All ceased EHC plans,500,2,20,10,150,15,200,30,x,23,50',
      '2024,Calendar year,Local authority,E92000001,England,E12000004,East Midlands,E10000024,891,Nottinghamshire,Sex,Female,200,1,8,4,60,6,80,12,x,9,20',
    ].join('\n');
    const p = (await parseDfeFile(Readable.from([text]), 'ceased_plans.csv')) as ParsedFile;
    expect(p.spec.name).toBe('ceased_plans.csv');
    expect(p.problems).toEqual([]);
    expect(p.skipped).toBe(1);
    expect(p.rows.find((r) => r.measureCode === 'PLANS_CEASED')).toMatchObject({ value: 500, year: 2024 });
    expect(p.rows.find((r) => r.measureCode === 'PLANS_CEASED_NEEDS_MET')).toMatchObject({ value: 200, denominator: 500 });
    expect(p.rows.find((r) => r.measureCode === 'PLANS_CEASED_NOT_RECORDED')).toMatchObject({ value: null, marker: 'x' });
  });
});
