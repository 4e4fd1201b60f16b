import { comparatorRows, shownValue } from '../../web/pages/kpi-view';
import { navFor } from '../../web/nav';
import { figure, longDate, WITHHELD } from '../../web/views';

describe('how the web app words figures', () => {
  it('writes a withheld figure in words, never as a number, and a missing one as missing', () => {
    expect(shownValue(null, true, 'COUNT')).toBe(WITHHELD);
    expect(WITHHELD).toBe('fewer than 8 children: withheld to protect privacy');
    expect(shownValue(null, false, 'COUNT')).toBe('No figure for this period');
    expect(shownValue(1234, false, 'COUNT')).toBe('1,234');
    expect(shownValue(56.78, false, 'PERCENT')).toBe('56.8%');
    expect(figure(1, 'WEEKS')).toBe('1 week');
    expect(longDate('2026-02-09')).toBe('9 February 2026');
  });

  it('compares with England, the region and the statistical neighbours\' average, each at its latest year', () => {
    const rows = comparatorRows(
      [
        { year: 2024, geographicLevel: 'NATIONAL', areaName: 'England', value: 50 },
        { year: 2025, geographicLevel: 'NATIONAL', areaName: 'England', value: 52 },
        { year: 2025, geographicLevel: 'REGIONAL', areaName: 'East Midlands', value: 48.5 },
        { year: 2025, geographicLevel: 'LOCAL_AUTHORITY', areaName: 'Derbyshire', value: 40 },
        { year: 2025, geographicLevel: 'LOCAL_AUTHORITY', areaName: 'Lancashire', value: 60 },
        { year: 2025, geographicLevel: 'LOCAL_AUTHORITY', areaName: 'Nottinghamshire', value: 10 },
        { year: 2025, geographicLevel: 'LOCAL_AUTHORITY', areaName: 'Kent', value: null, marker: 'c' },
      ],
      ['Derbyshire', 'Lancashire', 'Kent'],
      'PERCENT',
    );
    expect(rows).toEqual([
      { label: 'England', value: '52%', year: '2025' },
      { label: 'East Midlands', value: '48.5%', year: '2025' },
      { label: 'Statistical neighbours (average of 2)', value: '50%', year: '2025' },
    ]);
  });

  it('offers each role only the pages it may use, marking the current one', () => {
    expect(navFor(['executive'], '/')).toContainEqual({ href: '/', text: 'Assurance dashboard', active: true });
    expect(navFor(['executive'], '/kpis/X').find((e) => e.href === '/')!.active).toBe(false);
    // The auditor reads no governance figures: no dashboard in their navigation.
    expect(navFor(['auditor'], '/').map((e) => e.href)).not.toContain('/');
  });
});
