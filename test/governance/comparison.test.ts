import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ENGLAND_CODE, HOME_AREA, STATISTICAL_NEIGHBOURS } from '../../subgraphs/governance/area';
import type { ComparatorRow } from '../../subgraphs/governance/import/dfe';
import { readRelease } from '../../subgraphs/governance/import/release';
import { compare, PUBLISHED_MEASURES, reconcile, reconciliationRequest, yearOnYear, type LivePoint } from '../../subgraphs/governance/rules/comparison';
import { shippedReleaseFolder } from '../../subgraphs/governance/seed/published';

const REAL = '/work/shared/reference/dfe-ehc-plans-2025';
const source = existsSync(REAL) ? REAL : shippedReleaseFolder();

let rows: ComparatorRow[] = [];
beforeAll(async () => {
  const read = await readRelease([source]);
  expect(read.refusals).toEqual([]);
  rows = read.rows;
});
const of = (code: string) => rows.filter((r) => r.measureCode === code);
const input = (code: string, year = 9999) => ({ measureCode: code, home: HOME_AREA, englandCode: ENGLAND_CODE, neighbours: [...STATISTICAL_NEIGHBOURS], rows: of(code), year });
const value = (code: string, year: number, area: string) => of(code).find((r) => r.year === year && (r.areaCode === area || r.oldLaCode === area))!.value!;

describe('like-for-like comparators on the real 2025 release', () => {
  it('a rate is shown beside England\'s, the region\'s, the area\'s own and the neighbours\' rates of the same year, and no other year', () => {
    const c = compare(input('EHC_20WK_EXCL'));
    const years = new Set(c.comparators.map((r) => r.year));
    expect([...years]).toEqual([2024]);
    expect(c.comparators.map((r) => r.areaCode)).toEqual(expect.arrayContaining([ENGLAND_CODE, HOME_AREA.regionCode, HOME_AREA.areaCode]));
    expect(c.comparators.filter((r) => r.geographicLevel === 'LOCAL_AUTHORITY')).toHaveLength(1 + STATISTICAL_NEIGHBOURS.length);
    expect(c.comparators.find((r) => r.areaCode === ENGLAND_CODE)!.value).toBe(value('EHC_20WK_EXCL', 2024, ENGLAND_CODE));
    expect(c.yearOnYearChanges).toEqual([]);
    expect(c.note).toContain('the calendar year 2024');
    // Asked at an earlier year, every comparator is of that year.
    expect(new Set(compare(input('EHC_20WK_EXCL', 2022)).comparators.map((r) => r.year))).toEqual(new Set([2022]));
  });

  it('a count is shown only beside the area\'s own count of the same year; England and the region appear only as year-on-year change', () => {
    const c = compare(input('EHCNA_REQUESTS'));
    expect(c.comparators.map((r) => [r.areaCode, r.year])).toEqual([[HOME_AREA.areaCode, 2024]]);
    expect(c.comparators[0].value).toBe(value('EHCNA_REQUESTS', 2024, '891'));
    expect(c.yearOnYearChanges.map((y) => y.areaCode)).toEqual([HOME_AREA.areaCode, ENGLAND_CODE, HOME_AREA.regionCode]);
    const england = c.yearOnYearChanges.find((y) => y.areaCode === ENGLAND_CODE)!;
    const [from, to] = [value('EHCNA_REQUESTS', 2023, ENGLAND_CODE), value('EHCNA_REQUESTS', 2024, ENGLAND_CODE)];
    expect(england).toMatchObject({ fromYear: 2023, toYear: 2024, from, to, change: to - from, percentChange: Math.round(((to - from) / from) * 1000) / 10 });
    expect(c.note).toContain('no per-head rates');
  });

  it('plans held are a January count: the area\'s own January figure, changes from the January before', () => {
    const c = compare(input('PLANS_ACTIVE'));
    expect(c.comparators).toHaveLength(1);
    expect(c.comparators[0]).toMatchObject({ areaCode: HOME_AREA.areaCode, year: 2025, timePeriod: '202425' });
    expect(c.note).toContain('January 2025');
    expect(c.yearOnYearChanges.every((y) => y.fromYear === 2024 && y.toYear === 2025)).toBe(true);
  });

  it('a measure DfE does not publish has no comparators, and says so', () => {
    const c = compare(input('EHC_MEAN_WEEKS'));
    expect(c).toEqual({ comparators: [], yearOnYearChanges: [], note: expect.stringContaining('DfE publishes no figure') });
    expect(reconciliationRequest('WAITING_OVER_18WK_PCT')).toBeNull();
  });

  it('every published measure has figures in the release, for England and the area', () => {
    for (const code of Object.keys(PUBLISHED_MEASURES)) {
      expect(of(code).some((r) => r.areaCode === ENGLAND_CODE)).toBe(true);
      expect(of(code).some((r) => r.areaCode === HOME_AREA.areaCode)).toBe(true);
    }
  });
});

describe('reconciliation: the live figure for DfE\'s period beside DfE\'s', () => {
  const year = (y: number, v: number | null, suppressed = false): LivePoint => ({ periodStart: `${y}-01-01`, periodEnd: `${y}-12-31`, value: v, suppressed });

  it('a count: the difference, and the words', () => {
    const published = value('EHCNA_REQUESTS', 2024, '891');
    const r = reconcile('EHCNA_REQUESTS', HOME_AREA, of('EHCNA_REQUESTS'), [year(2023, 1), year(2024, published + 35), year(2025, 5)], 2026)!;
    expect(r).toMatchObject({ year: 2024, period: 'the calendar year 2024', published, live: published + 35, difference: 35 });
    expect(r.note).toContain('35 more');
  });

  it('a rate: percentage points; agreement said as agreement', () => {
    const published = value('EHC_20WK_EXCL', 2024, '891');
    const r = reconcile('EHC_20WK_EXCL', HOME_AREA, of('EHC_20WK_EXCL'), [year(2024, published)], 2026)!;
    expect(r.difference).toBe(0);
    expect(r.note).toContain('agrees');
    const off = reconcile('EHC_20WK_EXCL', HOME_AREA, of('EHC_20WK_EXCL'), [year(2024, published - 2.5)], 2026)!;
    expect(off.note).toContain('2.5 percentage points fewer');
  });

  it('a January count is read against the live count for January; withheld and missing live figures are said', () => {
    const jan = { periodStart: '2025-01-01', periodEnd: '2025-01-31', value: null, suppressed: true };
    const r = reconcile('PLANS_ACTIVE', HOME_AREA, of('PLANS_ACTIVE'), [jan], 2026)!;
    expect(r).toMatchObject({ year: 2025, period: 'January 2025', live: null, difference: null });
    expect(r.note).toContain('withheld');
    const none = reconcile('PLANS_ACTIVE', HOME_AREA, of('PLANS_ACTIVE'), [], 2026)!;
    expect(none.note).toContain('do not reach back');
  });

  it('year-on-year needs both years as numbers', () => {
    expect(yearOnYear([{ year: 2024, geographicLevel: 'NATIONAL', areaCode: 'E', areaName: 'E', value: 10 }], 2024)).toBeNull();
  });
});

it('the shipped compact release gives exactly the real files\' figures for the areas it keeps', async () => {
  if (!existsSync(REAL)) return;
  const shipped = (await readRelease([shippedReleaseFolder()])).rows;
  const key = (r: ComparatorRow) => `${r.measureCode}|${r.year}|${r.areaCode}`;
  const real = new Map(rows.map((r) => [key(r), r]));
  expect(shipped.length).toBeGreaterThan(3000);
  for (const r of shipped) expect({ ...r, sourceFile: '' }).toEqual({ ...real.get(key(r))!, sourceFile: '' });
  expect(join(shippedReleaseFolder())).toContain('dfe-ehc-plans-2025');
});
