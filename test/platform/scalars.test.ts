import { isIsoDate, parseDate } from '../../platform/scalars';

/** The calendar's own answer, by a Date: what the check read character by character must agree with. */
function byCalendar(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

describe('isIsoDate: a real calendar date written YYYY-MM-DD', () => {
  it('agrees with the calendar on every day 0 to 32 of every month, from year 0098 to 0102 and 1896 to 2104', () => {
    const years = [...Array.from({ length: 5 }, (_, i) => 98 + i), ...Array.from({ length: 209 }, (_, i) => 1896 + i), 2400, 2500, 9999];
    let real = 0;
    const disagreements: string[] = [];
    for (const year of years) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
          if (isIsoDate(text) !== byCalendar(text)) disagreements.push(text);
          if (byCalendar(text)) real++;
        }
      }
    }
    expect(disagreements).toEqual([]);
    // Leap years included: 1900 and 2100 are not, 2000 and 2400 are.
    expect(isIsoDate('2000-02-29') && isIsoDate('2400-02-29') && !isIsoDate('1900-02-29') && !isIsoDate('2100-02-29')).toBe(true);
    expect(real).toBeGreaterThan(70_000);
  });

  it('refuses anything else written otherwise, and what is not a string', () => {
    for (const text of ['2024-1-01', '2024-01-1', ' 2024-01-01', '2024-01-01 ', '2024/01/01', '20240101', '+2024-01-01', '2024-01-01T00:00:00Z', '２０２４-01-01', '2024-0a-01', '202a-01-01', '2024-01-3a', '2024--1-01', '']) {
      expect({ text, answer: isIsoDate(text) }).toEqual({ text, answer: false });
    }
    for (const value of [null, undefined, 20240101, new Date('2024-01-01'), ['2024-01-01']]) expect(isIsoDate(value)).toBe(false);
    expect(() => parseDate('2023-02-29')).toThrow('Date must be a calendar date written YYYY-MM-DD; got "2023-02-29".');
  });
});
