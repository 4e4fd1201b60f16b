/**
 * The unique pupil number's check letter, as DfE's guide to UPNs gives it: the
 * characters in positions 2 to 13 weighted 2 to 13 (a letter in position 13, as
 * in a temporary UPN, counts as its place in the check alphabet), the sum taken
 * modulo 23 and read off that alphabet, which leaves out I, O and S. Here, beside
 * the NHS number's check digit, because the synthetic population makes UPNs and
 * the council's checks read them.
 */
export const UPN_CHECK_ALPHABET = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/** The check letter for the 12 characters after it (11 digits then a digit or a check-alphabet letter); null when they are not that. */
export function upnCheckLetter(twelve: string): string | null {
  if (!/^\d{11}[0-9A-Z]$/.test(twelve)) return null;
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    const c = twelve[i];
    const value = /\d/.test(c) ? Number(c) : UPN_CHECK_ALPHABET.indexOf(c);
    if (value < 0) return null;
    sum += value * (i + 2);
  }
  return UPN_CHECK_ALPHABET[sum % 23];
}

/** A UPN with its check letter in front of the 12 characters given. */
export function withUpnCheckLetter(twelve: string): string {
  const letter = upnCheckLetter(twelve);
  if (!letter) throw new Error('A UPN is a check letter then 11 digits and a digit or letter.');
  return letter + twelve;
}
