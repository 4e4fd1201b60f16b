/**
 * The development issuer's sign-in: the OIDC authorization code flow with PKCE
 * (RFC 7636, S256 only), so the web app signs people in as it would against the
 * partnership's identity provider, with no token copied by hand. A person picks
 * a role, an organisation and a name on a GOV.UK-styled page; the code it hands
 * back is single-use, lives a minute, and is bound to the client, the redirect
 * URI and the PKCE challenge.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ALL_ROLES, USUAL_ORG, type RoleName } from '../platform/roles';

export interface SignInRequest {
  role: RoleName;
  org: string;
  user: string;
  expiresIn: string;
}

interface PendingCode {
  request: SignInRequest;
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce?: string;
  expiresAt: number;
}

const ROLE_LABELS: Record<RoleName, string> = {
  executive: 'Chief executive (executive)',
  board_member: 'Board member',
  icb_analyst: 'ICB analyst',
  la_caseworker: 'Council caseworker',
  designated_clinical_officer: 'Designated clinical officer',
  auditor: 'Auditor',
  admin: 'Administrator',
  partner_app: 'Partner application',
};

const LIFETIMES: Array<[string, string]> = [
  ['8h', '8 hours'],
  ['1h', '1 hour'],
  ['5s', '5 seconds (to try an expired session)'],
];

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Only loopback redirect URIs unless the issuer is told which to accept: a development tool must not hand tokens to any site. */
export function redirectAllowed(uri: string, allowed: readonly string[]): boolean {
  if (allowed.length) return allowed.includes(uri);
  try {
    const url = new URL(uri);
    return (url.protocol === 'http:' || url.protocol === 'https:') && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}

/** Where sign-out may return to: a page on the origin of a redirect URI the issuer accepts. */
export function returnAllowed(uri: string, allowed: readonly string[]): boolean {
  if (!allowed.length) return redirectAllowed(uri, allowed);
  try {
    const origin = new URL(uri).origin;
    return allowed.some((a) => new URL(a).origin === origin);
  } catch {
    return false;
  }
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en" class="govuk-template"><head><meta charset="utf-8"><title>${escape(title)} – Development sign-in</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/assets/govuk-frontend.min.css"></head>
<body class="govuk-template__body"><a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<div class="govuk-width-container"><main class="govuk-main-wrapper" id="main-content">${body}</main></div></body></html>`;
}

const PASSED = ['client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method', 'nonce', 'scope', 'response_type'] as const;

/** The sign-in page: role, organisation, name. */
export function signInPage(params: URLSearchParams, error?: string): string {
  const hidden = PASSED.map((k) => (params.get(k) != null ? `<input type="hidden" name="${k}" value="${escape(params.get(k)!)}">` : '')).join('');
  const chosen = params.get('role') ?? 'executive';
  const radios = ALL_ROLES.map(
    (r, i) => `<div class="govuk-radios__item"><input class="govuk-radios__input" id="role${i ? `-${i}` : ''}" name="role" type="radio" value="${r}"${r === chosen ? ' checked' : ''}>
<label class="govuk-label govuk-radios__label" for="role${i ? `-${i}` : ''}">${escape(ROLE_LABELS[r])}</label></div>`,
  ).join('');
  const lifetimes = LIFETIMES.map(([v, label]) => `<option value="${v}">${escape(label)}</option>`).join('');
  return page(
    'Sign in',
    `<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
${error ? `<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2><div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list"><li><a href="#user">${escape(error)}</a></li></ul></div></div></div>` : ''}
<span class="govuk-caption-l">Development sign-in</span><h1 class="govuk-heading-l">Sign in as</h1>
<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>This is the development issuer: it signs anyone in as any role. It never runs in production.</strong></div>
<form method="post" action="/authorize" novalidate>${hidden}
<div class="govuk-form-group"><fieldset class="govuk-fieldset"><legend class="govuk-fieldset__legend govuk-fieldset__legend--m">Role</legend><div class="govuk-radios" data-module="govuk-radios">${radios}</div></fieldset></div>
<div class="govuk-form-group"><label class="govuk-label govuk-label--m" for="org">Organisation</label><div class="govuk-hint" id="org-hint">LA, ICB or PARTNER:name. Leave blank for the role's usual organisation.</div><input class="govuk-input govuk-input--width-20" id="org" name="org" type="text" aria-describedby="org-hint" spellcheck="false"></div>
<div class="govuk-form-group"><label class="govuk-label govuk-label--m" for="user">Name</label><div class="govuk-hint" id="user-hint">Shown on the pages and recorded on what you write, e.g. a.jones.</div><input class="govuk-input govuk-input--width-20" id="user" name="user" type="text" aria-describedby="user-hint" spellcheck="false" autocomplete="username"></div>
<div class="govuk-form-group"><label class="govuk-label govuk-label--m" for="expires">Session length</label><select class="govuk-select" id="expires" name="expires">${lifetimes}</select></div>
<button type="submit" class="govuk-button" data-module="govuk-button">Sign in</button></form></div></div>`,
  );
}

export async function readForm(req: IncomingMessage, limit = 16_384): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > limit) throw new Error('The form is too large.');
  }
  return new URLSearchParams(body);
}

/** Codes handed out and not yet exchanged, in memory: a restart signs everyone in again. */
export class CodeStore {
  private codes = new Map<string, PendingCode>();

  issue(pending: Omit<PendingCode, 'expiresAt'>): string {
    const now = Date.now();
    for (const [code, p] of this.codes) if (p.expiresAt < now) this.codes.delete(code);
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { ...pending, expiresAt: now + 60_000 });
    return code;
  }

  /** The code's sign-in, once: a second exchange of the same code fails. */
  redeem(code: string, clientId: string, redirectUri: string, verifier: string): PendingCode | string {
    const pending = this.codes.get(code);
    this.codes.delete(code);
    if (!pending || pending.expiresAt < Date.now()) return 'The code is unknown, used or expired.';
    if (pending.clientId !== clientId || pending.redirectUri !== redirectUri) return 'The code was issued to another client or redirect URI.';
    if (s256(verifier) !== pending.challenge) return 'The code_verifier does not match the code_challenge.';
    return pending;
  }
}

/** Validates the posted sign-in form: a known role, an organisation of the token's shape, a plain name. */
export function readSignIn(form: URLSearchParams): SignInRequest | string {
  const role = form.get('role') ?? '';
  if (!(ALL_ROLES as readonly string[]).includes(role)) return 'Choose a role';
  const org = (form.get('org') ?? '').trim() || USUAL_ORG[role as RoleName];
  if (!/^(LA|ICB|PARTNER:[A-Za-z0-9 _.-]{1,64})$/.test(org)) return 'Organisation must be LA, ICB or PARTNER:name';
  const user = (form.get('user') ?? '').trim() || `dev-${role}`;
  if (!/^[A-Za-z0-9 ._@-]{1,64}$/.test(user)) return 'Name must be letters, digits, spaces and . _ @ - only';
  const expiresIn = form.get('expires') ?? '8h';
  if (!LIFETIMES.some(([v]) => v === expiresIn)) return 'Choose a session length';
  return { role: role as RoleName, org, user, expiresIn };
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { location, 'cache-control': 'no-store' });
  res.end();
}
