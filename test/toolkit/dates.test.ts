import { addDays, daysBetween, fromDayNumber, toDayNumber } from '../../subgraphs/toolkit/dates';

// The arithmetic must agree with Date's calendar everywhere, rollovers and odd input included.
const DAY_MS = 86_400_000;
const byDate = {
  toDayNumber: (iso: string) => {
    const [y, m, d] = iso.split('-').map(Number);
    return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
  },
  fromDayNumber: (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10),
};
const pad = (n: number, width: number) => String(n).padStart(width, '0');

describe('calendar dates as day numbers', () => {
  it('agrees with Date on every day from 1890 to 2110, both ways', () => {
    const from = byDate.toDayNumber('1890-01-01');
    const to = byDate.toDayNumber('2110-12-31');
    let checked = 0;
    for (let day = from; day <= to; day++) {
      const iso = byDate.fromDayNumber(day);
      if (fromDayNumber(day) !== iso) throw new Error(`fromDayNumber(${day}): ${fromDayNumber(day)}, Date says ${iso}`);
      if (toDayNumber(iso) !== day) throw new Error(`toDayNumber(${iso}): ${toDayNumber(iso)}, Date says ${day}`);
      checked++;
    }
    expect(checked).toBeGreaterThan(80_000);
  });

  it('agrees with Date across the years 100-9999, leap centuries included', () => {
    for (let y = 100; y <= 9999; y += 7) {
      for (const md of ['01-01', '02-28', '02-29', '03-01', '12-31']) {
        const iso = `${pad(y, 4)}-${md}`;
        expect(toDayNumber(iso)).toBe(byDate.toDayNumber(iso));
        expect(fromDayNumber(toDayNumber(iso))).toBe(byDate.fromDayNumber(byDate.toDayNumber(iso)));
      }
    }
    for (const iso of ['1600-02-29', '1700-02-29', '2000-02-29', '2100-02-29', '0100-01-01', '9999-12-31']) {
      expect(toDayNumber(iso)).toBe(byDate.toDayNumber(iso));
    }
  });

  it('rolls over days and months out of range, and reads odd input, as Date does', () => {
    const odd = ['2024-02-30', '2023-02-29', '2024-04-31', '2024-01-00', '2024-12-32', '2024-01-99', '2024-00-10', '2024-13-01', '2024-99-01',
      '0024-01-01', '0099-12-31', '2024-1-5', '2024/01/05', 'abcd-ef-gh', '', '2024-01-0a', '+02024-01-01', ' 2024-01-01'];
    for (const iso of odd) expect([iso, toDayNumber(iso)]).toEqual([iso, byDate.toDayNumber(iso)]);
    for (let i = 0; i < 5000; i++) {
      const iso = `${pad(100 + ((i * 7919) % 9900), 4)}-${pad((i * 31) % 14, 2)}-${pad((i * 17) % 40, 2)}`;
      expect([iso, toDayNumber(iso)]).toEqual([iso, byDate.toDayNumber(iso)]);
    }
  });

  it('formats fractional, far and non-numbers as Date does', () => {
    for (const day of [0.5, -0.5, 19000.999, -682907, -682908, 2932896, 2932897, -800000, 3000000, -1e8]) {
      expect([day, fromDayNumber(day)]).toEqual([day, byDate.fromDayNumber(day)]);
    }
    expect(() => fromDayNumber(Number.NaN)).toThrow(RangeError);
    expect(() => fromDayNumber(1e9)).toThrow(RangeError);
  });

  it('adds days and counts between dates', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-01-04', -42)).toBe('2024-11-23');
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2025-01-01', '2024-01-01')).toBe(-366);
  });
});
