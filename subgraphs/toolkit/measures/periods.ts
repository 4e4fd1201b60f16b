import { addDays, addMonths } from '../dates';

/** How a measure's series is cut into periods. */
export enum Interval {
  MONTH = 'MONTH',
  QUARTER = 'QUARTER',
  YEAR = 'YEAR',
  /** April to March, as public bodies in England report. */
  FINANCIAL_YEAR = 'FINANCIAL_YEAR',
}

export interface Period {
  /** First day of the period. */
  start: string;
  /** Last day of the period, inclusive. */
  end: string;
}

const MONTHS: Record<Interval, number> = {
  [Interval.MONTH]: 1,
  [Interval.QUARTER]: 3,
  [Interval.YEAR]: 12,
  [Interval.FINANCIAL_YEAR]: 12,
};

/** The first day of the period of this interval that contains `date`. */
export function periodStartOf(date: string, interval: Interval): string {
  const [y, m] = date.split('-').map(Number);
  switch (interval) {
    case Interval.MONTH:
      return `${date.slice(0, 7)}-01`;
    case Interval.QUARTER:
      return `${y}-${String(Math.floor((m - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
    case Interval.YEAR:
      return `${y}-01-01`;
    case Interval.FINANCIAL_YEAR:
      return m >= 4 ? `${y}-04-01` : `${y - 1}-04-01`;
  }
}

/** Largest number of periods one request may ask for; keeps a series query bounded. */
export const MAX_PERIODS = 600;

/**
 * The whole periods covering `from`..`to`: the first is the one containing `from`,
 * the last the one containing `to`. Calendar months, quarters and years; financial
 * years run 1 April to 31 March.
 */
export function periodsBetween(from: string, to: string, interval: Interval): Period[] {
  if (to < from) throw new RangeError(`"to" (${to}) is before "from" (${from}).`);
  const step = MONTHS[interval];
  const periods: Period[] = [];
  for (let start = periodStartOf(from, interval); start <= to; start = addMonths(start, step)) {
    periods.push({ start, end: addDays(addMonths(start, step), -1) });
    if (periods.length > MAX_PERIODS) throw new RangeError(`That range holds more than ${MAX_PERIODS} periods; ask for a shorter range or a longer interval.`);
  }
  return periods;
}
