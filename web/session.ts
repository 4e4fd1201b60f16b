/**
 * The session lives in the browser as a cookie the app alone can read: sealed
 * with AES-256-GCM (so it can be neither read nor altered), HttpOnly (no script
 * reads the token), SameSite=Lax and Secure over HTTPS. The bearer token is in
 * it, and never reaches a page's HTML or JavaScript.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface Session {
  token: string;
  /** Seconds since the epoch at which the token expires. */
  exp: number;
  user: string;
  roles: string[];
  org: string;
  /** The form token every POST must carry (CSRF). */
  csrf: string;
  /** Where the issuer ends sessions, if it says. */
  endSession?: string;
  /** True for a script's own bearer token on a route that takes one (no sign-in to fall back to). */
  bearer?: boolean;
}

/** A sign-in under way: PKCE verifier, state and where to go after. */
export interface PendingSignIn {
  state: string;
  verifier: string;
  nonce: string;
  returnTo: string;
  exp: number;
}

export const SESSION_COOKIE = 'send_session';
export const SIGN_IN_COOKIE = 'send_sign_in';

export function seal(key: Buffer, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The sealed value, or null when it was altered, sealed with another key or is not ours. */
export function unseal<T>(key: Buffer, sealed: string): T | null {
  try {
    const raw = Buffer.from(sealed, 'base64url');
    if (raw.length < 29) return null;
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as T;
  } catch {
    return null;
  }
}

export function readCookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

export function cookie(name: string, value: string, options: { secure: boolean; maxAgeSeconds?: number; path?: string }): string {
  const parts = [`${name}=${value}`, `Path=${options.path ?? '/'}`, 'HttpOnly', 'SameSite=Lax'];
  if (options.secure) parts.push('Secure');
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  return parts.join('; ');
}

export function appendCookie(res: ServerResponse, value: string): void {
  const existing = res.getHeader('set-cookie');
  const list = Array.isArray(existing) ? existing : existing ? [String(existing)] : [];
  res.setHeader('set-cookie', [...list, value]);
}

/** The token's claims, for display and expiry only: the gateway verifies the signature on every call. */
export function claimsOf(token: string): { exp: number; user: string; roles: string[]; org: string } {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  return {
    exp: typeof payload.exp === 'number' ? payload.exp : 0,
    user: String(payload.preferred_username ?? payload.sub ?? ''),
    roles: Array.isArray(payload.roles) ? payload.roles.map(String) : [],
    org: String(payload.org ?? ''),
  };
}
