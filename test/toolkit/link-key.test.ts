import { isValidNhsNumber, linkKeyFor, nhsCheckDigit, normaliseNhsNumber } from '../../subgraphs/toolkit/link-key';

describe('NHS number', () => {
  it.each(['9434765919', '943 476 5919', '943-476-5919', '4010232137'])('accepts %s', (n) => {
    expect(isValidNhsNumber(n)).toBe(true);
  });
  it.each([
    ['9434765918', 'wrong check digit'],
    ['943476591', 'nine digits'],
    ['94347659190', 'eleven digits'],
    ['943476591A', 'a letter'],
    ['', 'empty'],
  ])('refuses %s (%s)', (n) => {
    expect(isValidNhsNumber(n)).toBe(false);
  });
  it('has no valid number where the check digit would be 10', () => {
    // 1000000060: weighted sum of 100000006 is 10+6*2=22? compute: digits 1,0,0,0,0,0,0,0,6 -> 1*10 + 6*2 = 22; 22 % 11 = 0 -> check 11 -> 0
    expect(nhsCheckDigit('100000006')).toBe(0);
    // 1*10 + 0 + ... + 1*2 = 12; 12 % 11 = 1; 11 - 1 = 10: never issued
    expect(nhsCheckDigit('100000001')).toBeNull();
  });
  it('normalises spaces and dashes', () => {
    expect(normaliseNhsNumber(' 943 476-5919 ')).toBe('9434765919');
  });
});

describe('link key', () => {
  it('is the same for the same person however the number is written', () => {
    expect(linkKeyFor('943 476 5919', 's')).toBe(linkKeyFor('9434765919', 's'));
  });
  it('differs under a different partnership secret', () => {
    expect(linkKeyFor('9434765919', 'a')).not.toBe(linkKeyFor('9434765919', 'b'));
  });
  it('never contains the NHS number', () => {
    expect(linkKeyFor('9434765919', 's')).not.toContain('9434765919');
    expect(linkKeyFor('9434765919', 's')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
  it('refuses an invalid NHS number or a missing secret', () => {
    expect(() => linkKeyFor('9434765918', 's')).toThrow(/check digit/);
    expect(() => linkKeyFor('9434765919', '')).toThrow(/LINK_KEY_SECRET/);
  });
});
