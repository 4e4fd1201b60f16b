import { createHmac } from 'node:crypto';

/**
 * NHS numbers are 10 digits, the last a modulus 11 check digit. People write them
 * with spaces or dashes (e.g. "943 476 5919"); we normalise before validating or
 * hashing so that the same person always gets the same link key.
 */
export function normaliseNhsNumber(raw: string): string {
  return raw.replace(/[\s-]/g, '');
}

/** True when `raw` is a well-formed NHS number whose check digit is right. */
export function isValidNhsNumber(raw: string): boolean {
  const digits = normaliseNhsNumber(raw);
  if (!/^\d{10}$/.test(digits)) return false;
  const check = nhsCheckDigit(digits.slice(0, 9));
  return check !== null && check === Number(digits[9]);
}

/**
 * The modulus 11 check digit for nine digits, or null when the remainder makes
 * a check digit of 10 (such numbers are never issued).
 */
export function nhsCheckDigit(nineDigits: string): number | null {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nineDigits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

/**
 * The pseudonymous key under which the council and the ICB meet: an HMAC-SHA-256
 * of the normalised NHS number under the partnership's secret. Without the secret
 * the key cannot be turned back into an NHS number (the space of NHS numbers is
 * small enough to brute-force a bare hash, which is why it is keyed).
 */
export function linkKeyFor(nhsNumber: string, secret: string): string {
  if (!secret) throw new Error('The partnership link key secret is not configured (LINK_KEY_SECRET).');
  const digits = normaliseNhsNumber(nhsNumber);
  if (!isValidNhsNumber(digits)) throw new Error('Not a valid NHS number: the check digit fails.');
  return createHmac('sha256', secret).update(digits).digest('base64url');
}
