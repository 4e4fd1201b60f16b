import { breakdownPolicy, countPolicy, measurePolicy } from '../../subgraphs/toolkit/disclosure';
import type { SubgraphContext } from '../../subgraphs/toolkit/context';
import { Loaders } from '../../subgraphs/toolkit/context';
import type { MeasureDefinition } from '../../subgraphs/toolkit/measures/engine';
import { discloseBreakdown, discloseCount, discloseFigure, isSmall, roundToBase } from '../../subgraphs/toolkit/suppression';

const W = { value: null, suppressed: true };
const shown = (value: number) => ({ value, suppressed: false });

describe('counts', () => {
  it.each([
    [0, shown(0)],
    [1, W],
    [7, W],
    [8, shown(10)],
    [10, shown(10)],
    [12, shown(10)],
    [13, shown(15)],
    [12.5, shown(15)],
    [1003, shown(1005)],
  ])('%p -> %p', (n, expected) => {
    expect(discloseCount(n)).toEqual(expected);
  });

  it('a missing count stays missing and is not called suppressed', () => {
    expect(discloseCount(null)).toEqual({ value: null, suppressed: false });
  });

  it('small means above 0 and below 8, fractions included', () => {
    expect([0, 0.5, 1, 7, 7.9, 8].map(isSmall)).toEqual([false, true, true, true, true, false]);
    expect(roundToBase(2.4)).toBe(0);
  });
});

describe('rates and means', () => {
  const rate = (numerator: number, denominator: number) => discloseFigure('PERCENT', { numerator, denominator, value: Math.round((1000 * numerator) / denominator) / 10 });

  it('withholds a rate whose numerator is 1-7', () => {
    expect(rate(7, 100)).toEqual({ numerator: null, denominator: null, value: null, suppressed: true });
  });
  it('withholds a rate whose denominator is 1-7, even at 100%', () => {
    expect(rate(5, 5).suppressed).toBe(true);
  });
  it('withholds a rate whose difference (those not meeting it) is 1-7', () => {
    expect(rate(93, 100).suppressed).toBe(true);
    expect(rate(92, 100)).toEqual({ numerator: null, denominator: null, value: 92, suppressed: false });
  });
  it('shows 0% and 100% of a large group (0 is not small)', () => {
    expect(rate(0, 40).value).toBe(0);
    expect(rate(40, 40).value).toBe(100);
  });
  it('computes a shown rate from the unrounded parts and hides the parts', () => {
    // 11/23 = 47.8%; from rounded parts (10/25) it would be 40%.
    expect(rate(11, 23)).toEqual({ numerator: null, denominator: null, value: 47.8, suppressed: false });
  });
  it('a rate with no denominator has no value and is not suppressed', () => {
    expect(discloseFigure('PERCENT', { numerator: 0, denominator: 0, value: null })).toEqual({ numerator: null, denominator: null, value: null, suppressed: false });
  });
  it('withholds a mean over 1-7 records, shows a mean over 8', () => {
    expect(discloseFigure('MEAN', { numerator: 140, denominator: 7, value: 20 }).suppressed).toBe(true);
    expect(discloseFigure('MEAN', { numerator: 160, denominator: 8, value: 20 })).toEqual({ numerator: null, denominator: null, value: 20, suppressed: false });
  });
  it('a count point shows its rounded count as numerator and value', () => {
    expect(discloseFigure('COUNT', { numerator: 23, denominator: null, value: 23 })).toEqual({ numerator: 25, denominator: null, value: 25, suppressed: false });
    expect(discloseFigure('COUNT', { numerator: 3, denominator: null, value: 3 })).toEqual({ numerator: null, denominator: null, value: null, suppressed: true });
  });
});

describe('breakdowns (secondary suppression)', () => {
  it('withholds nothing when no cell is small, and rounds', () => {
    expect(discloseBreakdown([20, 31, 0], 51)).toEqual({ cells: [shown(20), shown(30), shown(0)], total: shown(50) });
  });

  it('when exactly one cell is withheld, withholds the next-smallest non-zero cell too', () => {
    const out = discloseBreakdown([3, 40, 12, 0], 55);
    expect(out.cells).toEqual([W, shown(40), W, shown(0)]);
    expect(out.total).toEqual(shown(55));
  });

  it('keeps adding cells while the withheld ones add up to 1-7', () => {
    // 2 + 3 = 5 is recoverable from the total, so the 9 goes too.
    expect(discloseBreakdown([2, 3, 9, 50], 64).cells).toEqual([W, W, W, shown(50)]);
    // 3 + 6 = 9: no longer small, nothing more withheld.
    expect(discloseBreakdown([3, 6, 9, 50], 68).cells).toEqual([W, W, shown(10), shown(50)]);
  });

  it('applies secondary suppression without a total too (the total may be published elsewhere)', () => {
    expect(discloseBreakdown([5, 100, 20]).cells).toEqual([W, shown(100), W]);
  });

  it('withholds the total when the cells run out and the remainder is still small', () => {
    const out = discloseBreakdown([4, 0, 0], 4);
    expect(out.cells).toEqual([W, shown(0), shown(0)]);
    expect(out.total).toEqual(W);
  });

  it('withholds the total when it exceeds the shown cells by 1-7 (an uncounted remainder)', () => {
    expect(discloseBreakdown([50, 40], 93).total).toEqual(W);
  });

  it('no withheld cell can be recovered by subtraction, in any small breakdown', () => {
    // Exhaustive over 3-cell breakdowns of 0..12: whatever is withheld adds up to 0 or 8+,
    // or the total is withheld too.
    for (let a = 0; a <= 12; a++)
      for (let b = 0; b <= 12; b++)
        for (let c = 0; c <= 12; c++) {
          const cells = [a, b, c];
          const out = discloseBreakdown(cells, a + b + c);
          const withheldSum = cells.reduce((s, v, i) => (out.cells[i].suppressed ? s + v : s), 0);
          if (!out.total!.suppressed) expect({ cells, withheldSum: isSmall(withheldSum) }).toEqual({ cells, withheldSum: false });
          for (const [i, v] of cells.entries()) if (isSmall(v)) expect(out.cells[i]).toEqual(W);
        }
  });
});

describe('policies by role', () => {
  const ctx = (roles: string[], org: string): SubgraphContext => ({ em: null as never, caller: { userId: 'u', roles, org }, loaders: new Loaders(), requestId: 'r' });
  const percent: MeasureDefinition = { code: 'P', name: 'p', description: 'p', unit: 'PERCENT', kind: 'PERCENT', sql: '' };
  const point = { periodStart: '2026-01-01', periodEnd: '2026-01-31', numerator: 3, denominator: 20, value: 15, suppressed: false };

  it('casework aggregates: as computed for the LA caseworker and the DCO, suppressed for the rest', () => {
    expect(measurePolicy(ctx(['la_caseworker'], 'LA'), 'casework')(percent, point)).toEqual(point);
    expect(measurePolicy(ctx(['designated_clinical_officer'], 'ICB'), 'casework')(percent, point)).toEqual(point);
    for (const [role, org] of [['icb_analyst', 'ICB'], ['executive', 'LA'], ['board_member', 'LA'], ['partner_app', 'PARTNER:x']]) {
      expect(measurePolicy(ctx([role], org), 'casework')(percent, point)).toEqual({ ...point, numerator: null, denominator: null, value: null, suppressed: true });
    }
  });

  it('health aggregates: as computed for the DCO and ICB analyst, suppressed for the LA caseworker', () => {
    expect(measurePolicy(ctx(['icb_analyst'], 'ICB'), 'health')(percent, point)).toEqual(point);
    expect(measurePolicy(ctx(['la_caseworker'], 'LA'), 'health')(percent, point).suppressed).toBe(true);
  });

  it('a role claimed by the wrong organisation does not lift suppression', () => {
    expect(measurePolicy(ctx(['la_caseworker'], 'ICB'), 'casework')(percent, point).suppressed).toBe(true);
    expect(countPolicy(ctx(['icb_analyst'], 'PARTNER:x'), 'health')(3)).toEqual(W);
  });

  it('breakdowns and counts follow the same split', () => {
    expect(breakdownPolicy(ctx(['designated_clinical_officer'], 'ICB'), 'health')([3, 40], 43)).toEqual({ cells: [shown(3), shown(40)], total: shown(43) });
    expect(breakdownPolicy(ctx(['executive'], 'LA'), 'health')([3, 40], 43)).toEqual({ cells: [W, W], total: shown(45) });
    expect(countPolicy(ctx(['la_caseworker'], 'LA'), 'casework')(3)).toEqual(shown(3));
    expect(countPolicy(ctx(['executive'], 'LA'), 'casework')(3)).toEqual(W);
  });
});

describe('error masking', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { maskUnexpectedErrors } = require('../../platform/errors') as typeof import('../../platform/errors');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { GraphQLError } = require('graphql') as typeof import('graphql');
  const quiet = () => undefined;
  const asResolverError = (original: Error) => new GraphQLError(original.message, { originalError: original, path: ['child'] });

  it('masks a database error always: its text can quote the values it was given', () => {
    const dbError = Object.assign(new Error(`duplicate key value violates unique constraint "child_nhs_number_unique" Key (nhs_number)=(9434765919)`), { name: 'UniqueConstraintViolationException', severity: 'ERROR' });
    const out = maskUnexpectedErrors(false, quiet)({ message: dbError.message, path: ['child'] }, asResolverError(dbError));
    expect(out).toEqual({ message: 'Internal server error.', path: ['child'], locations: undefined, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('passes errors raised on purpose unchanged, and other faults in development only', () => {
    const forbidden = new GraphQLError('Forbidden: your role may not read Child.surname.', { extensions: { code: 'FORBIDDEN' } });
    const formatted = { message: forbidden.message, extensions: { code: 'FORBIDDEN' } };
    expect(maskUnexpectedErrors(true, quiet)(formatted, asResolverError(forbidden as unknown as Error))).toBe(formatted);
    const fault = new TypeError('cannot read properties of undefined (reading "surname")');
    expect(maskUnexpectedErrors(false, quiet)({ message: fault.message }, asResolverError(fault)).message).toBe(fault.message);
    expect(maskUnexpectedErrors(true, quiet)({ message: fault.message }, asResolverError(fault)).message).toBe('Internal server error.');
  });
});
