import { parse } from 'csv-parse/sync';
import { csvField, csvFileName, figureCells, seriesCsv, type MeasureSeriesInput } from '../../web/explorer/csv';

const point = (o: Partial<MeasureSeriesInput['points'][number]>) => ({ periodStart: '2026-01-01', periodEnd: '2026-01-31', numerator: null, denominator: null, value: null, suppressed: false, ...o });

describe('a measure series as DfE-shaped CSV', () => {
  it('marks each cell with no figure as DfE does: c withheld, x not available, z not applicable', () => {
    expect(figureCells('PERCENT', point({ numerator: 30, denominator: 40, value: 75 }))).toEqual(['30', '40', '75']);
    expect(figureCells('PERCENT', point({ suppressed: true }))).toEqual(['c', 'c', 'c']);
    expect(figureCells('COUNT', point({ suppressed: true }))).toEqual(['c', 'z', 'c']);
    expect(figureCells('COUNT', point({ numerator: 12, value: 12 }))).toEqual(['12', 'z', '12']);
    // A rate over nobody: nothing to rate, not zero.
    expect(figureCells('PERCENT', point({ numerator: 0, denominator: 0, value: null }))).toEqual(['0', '0', 'z']);
    // No figure for the period at all.
    expect(figureCells('WEEKS', point({}))).toEqual(['x', 'x', 'x']);
  });

  it('writes every point of every series once, numbers exactly as given, filters as columns ("Total" when not narrowed)', () => {
    const series: MeasureSeriesInput[] = [
      { code: 'EHC_20WK_EXCL', name: 'EHC plans issued within 20 weeks, excluding exceptions', unit: 'PERCENT', points: [point({ numerator: 61, denominator: 99, value: 61.61616161616162 }), point({ periodStart: '2026-02-01', periodEnd: '2026-02-28', suppressed: true })] },
      { code: 'EHCNA_REQUESTS', name: 'Requests, "all"', unit: 'COUNT', points: [point({ numerator: 140, value: 140 })] },
    ];
    const csv = seriesCsv(series, 'MONTH', [{ header: 'district', value: 'Mansfield' }, { header: 'primary_need', value: null }]);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(3);
    expect(Object.keys(rows[0])).toEqual(['period_start', 'period_end', 'time_identifier', 'measure_code', 'measure_name', 'unit', 'district', 'primary_need', 'numerator', 'denominator', 'value']);
    expect(rows[0]).toMatchObject({ period_start: '2026-01-01', time_identifier: 'Month', district: 'Mansfield', primary_need: 'Total', value: '61.61616161616162' });
    expect(Number(rows[0].value)).toBe(series[0].points[0].value);
    expect(rows[1]).toMatchObject({ period_start: '2026-02-01', numerator: 'c', denominator: 'c', value: 'c' });
    expect(rows[2]).toMatchObject({ measure_name: 'Requests, "all"', denominator: 'z', value: '140' });
  });

  it('quotes what must be quoted and keeps a spreadsheet from running text as a formula', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('-1.5')).toBe('-1.5');
    expect(csvField('@SUM')).toBe("'@SUM");
    expect(csvFileName('casework', ['EHC_20WK_EXCL'], '2025-04-01', '2026-03-31', 'QUARTER')).toBe('casework-EHC_20WK_EXCL-2025-04-01-to-2026-03-31-QUARTER.csv');
  });
});
