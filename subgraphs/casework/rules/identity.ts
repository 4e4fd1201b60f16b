/**
 * A child's identity fields, checked as SEN2 checks them and written once: the
 * SEN2 import (import/sen2-validate.ts, import/case-extract.ts) and the
 * caseworker's commands (commands/child.ts) both ask this module. Each check
 * answers what is wrong in words, or null, and never repeats the value: a message
 * may reach a log, and these are personal data.
 */
import { isValidNhsNumber, normaliseNhsNumber } from '../../toolkit/link-key';
import { upnCheckLetter } from '../../toolkit/upn';

const UPN = /^[A-Z]\d{12}$|^[A-Z]\d{11}[A-Z]$/;
const ULN = /^\d{10}$/;
/** Deliberately loose (outward code, space, inward code): SEN2 validates postcodes only lightly, and odd ones (GIR 0AA, BFPO) exist. */
const POSTCODE = /^[A-Z0-9]{2,4} ?[0-9][A-Z]{2}$/;

export const UPN_FORMAT = 'must be a letter and 12 digits, or a letter, 11 digits and a letter';
export const ULN_FORMAT = 'must be 10 digits';
// No example postcode in the message: a real-looking one reads as someone's address in an error log.
export const POSTCODE_FORMAT = 'must be a UK postcode: an outward code (letters and digits), then a digit and two letters, with or without a space between';
export const NHS_NUMBER_FORMAT = 'not a valid NHS number: 10 digits whose last is the modulus 11 check digit';

/** What is wrong with a UPN (its form, then its check letter), or null. */
export function upnProblem(upn: string): string | null {
  const u = upn.trim().toUpperCase();
  if (!UPN.test(u)) return UPN_FORMAT;
  const expected = upnCheckLetter(u.slice(1));
  if (expected !== u[0]) return 'its check letter does not match the 12 characters after it (a UPN mistyped or made up)';
  return null;
}

export function normaliseUpn(upn: string): string {
  return upn.trim().toUpperCase();
}

export function ulnProblem(uln: string): string | null {
  return ULN.test(uln.trim()) ? null : ULN_FORMAT;
}

export function nhsNumberProblem(nhsNumber: string): string | null {
  return isValidNhsNumber(nhsNumber) ? null : NHS_NUMBER_FORMAT;
}

export { normaliseNhsNumber };

/** A postcode in the form the council holds it (capitals, one space before the inward code); null when it is not one. */
export function normalisePostcode(raw: string): string | null {
  const normal = raw.trim().toUpperCase().replace(/\s+/g, ' ');
  if (!POSTCODE.test(normal)) return null;
  return normal.includes(' ') ? normal : `${normal.slice(0, -3)} ${normal.slice(-3)}`;
}

export function postcodeProblem(raw: string): string | null {
  return normalisePostcode(raw) === null ? POSTCODE_FORMAT : null;
}
