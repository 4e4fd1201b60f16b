import { createReadStream, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { governance } from '../../subgraphs/governance';
import { main } from '../../subgraphs/governance/import/cli';
import { parseDfeFile, type ComparatorRow, type ParsedFile } from '../../subgraphs/governance/import/dfe';
import { openDatabase, type Orm } from '../../subgraphs/toolkit/database';
import { createTestDatabases, type TestDatabases } from '../support/databases';

const FIXTURES = join(__dirname, 'fixtures');
const REAL = '/work/shared/reference/dfe-ehc-plans-2025';

async function parseFixture(name: string): Promise<ParsedFile> {
  const parsed = await parseDfeFile(createReadStream(join(FIXTURES, name)), name);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}
async function parseText(text: string): Promise<ParsedFile | string> {
  return parseDfeFile(Readable.from([text]), 'test.csv');
}
const find = (rows: ComparatorRow[], code: string, year: number, area: string) => rows.find((r) => r.measureCode === code && r.year === year && (r.areaCode === area || r.oldLaCode === area));

const HEADER = 'time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,old_la_code,la_name,breakdown_topic,breakdown,plans_issued_den,plans_issued_den_ex,plans_issued_within_20_weeks,plans_issued_20_weeks_ex,pc_plans_issued_within_20_weeks,PC_plans_issued_20_weeks_ex';
const NOTTS = 'Local authority,E92000001,England,E12000004,East Midlands,E10000024,891,Nottinghamshire,All EHC plans issued,All EHC plans issued';

describe('DfE EHC plans files: parse and validate (no database)', () => {
  it('timeliness_20_week.csv gives both 20-week measures for England, regions and LAs, with numerators and old and new LA codes', async () => {
    const p = await parseFixture('timeliness_20_week.csv');
    expect(p.spec.name).toBe('timeliness_20_week.csv');
    expect(p.problems).toEqual([]);
    expect(p.skipped).toBeGreaterThan(0);
    // Figures as domain.md quotes them.
    expect(find(p.rows, 'EHC_20WK_EXCL', 2022, '891')).toMatchObject({ value: 4.5, areaCode: 'E10000024', oldLaCode: '891', areaName: 'Nottinghamshire', regionCode: 'E12000004', geographicLevel: 'LOCAL_AUTHORITY' });
    expect(find(p.rows, 'EHC_20WK_EXCL', 2024, 'E92000001')).toMatchObject({ value: 46.4, geographicLevel: 'NATIONAL', areaName: 'England', oldLaCode: null });
    expect(find(p.rows, 'EHC_20WK_EXCL', 2019, '891')).toMatchObject({ value: 85.2, numerator: 242, denominator: 284 });
    expect(find(p.rows, 'EHC_20WK_INCL', 2019, '891')).toMatchObject({ value: 83.2, numerator: 242, denominator: 291 });
    expect(find(p.rows, 'EHC_20WK_EXCL', 2024, 'E12000004')).toMatchObject({ geographicLevel: 'REGIONAL', areaName: 'East Midlands' });
  });

  it('caseload.csv counts plans in January: 202425 is 2025', async () => {
    const p = await parseFixture('caseload.csv');
    expect(p.problems).toEqual([]);
    expect(find(p.rows, 'PLANS_ACTIVE', 2025, '891')).toMatchObject({ value: 5422, timePeriod: '202425' });
    expect(find(p.rows, 'PLANS_ACTIVE', 2024, '891')!.value).toBe(4275);
    expect(find(p.rows, 'PLANS_ACTIVE', 2019, '891')!.value).toBe(2825);
  });

  it('requests.csv gives requests received and decisions within 6 weeks; x is stored as a marker, not a number', async () => {
    const p = await parseFixture('requests.csv');
    expect(p.problems).toEqual([]);
    expect(find(p.rows, 'EHCNA_REQUESTS', 2023, '891')!.value).toBe(1380);
    expect(find(p.rows, 'EHCNA_DECISION_6WK', 2019, 'E92000001')).toMatchObject({ value: null, marker: 'x', numerator: null, denominator: null });
    const d = find(p.rows, 'EHCNA_DECISION_6WK', 2024, '891')!;
    expect(d.value).not.toBeNull();
    expect(d.denominator).toBeGreaterThanOrEqual(d.numerator!);
  });

  it('annual_reviews.csv (which repeats a column) gives decisions within 4 weeks', async () => {
    const p = await parseFixture('annual_reviews.csv');
    expect(p.problems).toEqual([]);
    expect(find(p.rows, 'AR_DECISION_4WK', 2024, 'E92000001')).toMatchObject({ value: 44.4, numerator: 154924, denominator: 154924 + 193835 });
  });

  it('c, z and the other EES symbols are markers; a stray word is a problem naming line, column, value and rule', async () => {
    const text = [HEADER,
      `2024,Calendar year,${NOTTS},c,c,c,c,c,c`,
      `2023,Calendar year,${NOTTS},10,10,z,z,low,z`,
      `2022,Calendar year,${NOTTS},10,ten,5,5,50,50`,
    ].join('\n');
    const p = (await parseText(text)) as ParsedFile;
    expect(find(p.rows, 'EHC_20WK_EXCL', 2024, '891')).toMatchObject({ value: null, marker: 'c' });
    expect(find(p.rows, 'EHC_20WK_INCL', 2023, '891')).toMatchObject({ value: null, marker: 'low' });
    expect(p.problems).toEqual([{ line: 4, column: 'plans_issued_den_ex', value: 'ten', rule: expect.stringContaining('a number or an EES symbol') }]);
    expect(p.rows.filter((r) => r.year === 2022)).toEqual([]);
  });

  it('reports every problem at once: codes, levels, periods, ranges and duplicates', async () => {
    const text = [HEADER,
      `2024,Calendar year,${NOTTS},10,10,5,5,50,50`,
      '2024,Calendar year,Local authority,E92000001,England,E1200004,East Midlands,E1000024,89,,All EHC plans issued,All EHC plans issued,10,10,5,5,50,50',
      '2024,Academic year,County,E92000001,England,,,,,,All EHC plans issued,All EHC plans issued,10,10,5,5,50,50',
      `2024,Calendar year,${NOTTS},10,10,12,5,120,50`,
      `24,Calendar year,${NOTTS},10,10,5,5,50,50`,
    ].join('\n');
    const p = (await parseText(text)) as ParsedFile;
    const at = (line: number) => p.problems.filter((x) => x.line === line).map((x) => x.column).sort();
    expect(at(2)).toEqual([]);
    expect(at(3)).toEqual(['la_name', 'new_la_code', 'old_la_code', 'region_code']);
    expect(at(4)).toEqual(['geographic_level', 'time_identifier']);
    expect(at(5)).toEqual(['pc_plans_issued_within_20_weeks', 'plans_issued_within_20_weeks', 'time_period']);
    expect(p.problems.find((x) => x.line === 5 && x.column === 'time_period')!.rule).toContain('duplicates line 2');
    expect(at(6)).toEqual(['time_period']);
    expect(p.invalidLines).toEqual(new Set([3, 4, 5, 6]));
    expect(p.rows.map((r) => r.year)).toEqual([2024, 2024]);
  });

  it('refuses a file it does not know, or one that is not an EES file', async () => {
    expect(await parseText('time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,old_la_code,la_name,breakdown_topic,breakdown,some_measure\n2024,Calendar year,National,E92000001,England,,,,,,All,All,1')).toContain('Not one of the supported');
    expect(await parseText('a,b\n1,2')).toContain('not a DfE EES data file');
    expect(await parseText('')).toContain('empty');
    expect(await parseText(`${HEADER}\n2024,Calendar year,${NOTTS},10`)).toContain('not valid CSV');
  });

  const real = existsSync(REAL) ? it : it.skip;
  if (!existsSync(REAL)) console.warn(`Skipping the full real DfE files: ${REAL} is absent.`);
  real.each(['timeliness_20_week.csv', 'requests.csv', 'caseload.csv', 'annual_reviews.csv', 'newplans.csv', 'sen_needs_all_plans.csv', 'assessments.csv'])('the full published %s parses without a problem', async (name) => {
    const p = await parseDfeFile(createReadStream(join(REAL, name)), name);
    if (typeof p === 'string') throw new Error(p);
    expect(p.problems.slice(0, 5)).toEqual([]);
    expect(p.rows.length).toBeGreaterThan(100);
  });
});

describe('npm run import:dfe: all or nothing, idempotent, exit codes', () => {
  let dbs: TestDatabases;
  let orm: Orm;
  const lines: string[] = [];
  const io = () => ({ out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), open: async () => ({ orm, close: async () => undefined }) });
  const count = async () => Number((await orm.em.fork().getConnection().execute('SELECT count(*)::int AS n FROM published_comparator'))[0].n);
  beforeAll(async () => {
    dbs = await createTestDatabases([governance]);
    orm = await openDatabase({ url: dbs.logins.governance.appUrl, entities: governance.entities, migrations: governance.migrations });
  });
  afterAll(async () => {
    await orm?.close(true);
    await dbs?.drop();
  });
  beforeEach(() => { lines.length = 0; });

  it('exit 2 for usage, a missing file or an unrecognised one', async () => {
    expect(await main([], io())).toBe(2);
    expect(await main([join(FIXTURES, 'nope.csv')], io())).toBe(2);
    expect(await main([join(REAL, 'data-guidance.txt')], io())).toBe(2);
  });

  it('exit 1 and nothing written when any row is invalid; --skip-invalid writes the valid rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dfe-'));
    const file = join(dir, 'timeliness_20_week.csv');
    writeFileSync(file, [HEADER, `2024,Calendar year,${NOTTS},10,10,5,5,50,50`, `2023,Calendar year,${NOTTS},10,10,5,5,150,50`].join('\n'));
    expect(await main([file], io())).toBe(1);
    expect(lines.join('\n')).toContain('line 3, column pc_plans_issued_within_20_weeks, value "150": a percentage must be between 0 and 100');
    expect(await count()).toBe(0);
    expect(await main([file, '--skip-invalid'], io())).toBe(0);
    expect(await count()).toBe(2);
    await orm.em.fork().getConnection().execute('DELETE FROM published_comparator');
  });

  it('imports a fixture; re-importing updates in place and adds nothing; the write is audited', async () => {
    expect(await main([join(FIXTURES, 'timeliness_20_week.csv'), '--user', 'analyst.a'], io())).toBe(0);
    const first = await count();
    expect(first).toBeGreaterThan(50);
    expect(await main([join(FIXTURES, 'timeliness_20_week.csv'), '--user', 'analyst.a'], io())).toBe(0);
    expect(lines[lines.length - 1]).toBe(`Imported release 2025: 0 new, ${first} updated, 0 removed (re-importing the same release changes nothing).`);
    expect(await count()).toBe(first);
    const audit = await orm.em.fork().getConnection().execute(`SELECT user_id, fields FROM audit_event WHERE entity_type = 'PublishedComparatorImport' AND user_id = 'analyst.a'`);
    expect(audit).toHaveLength(2);
    expect(audit[0]).toEqual({ user_id: 'analyst.a', fields: ['EHC_20WK_EXCL', 'EHC_20WK_INCL'] });
  });
});
