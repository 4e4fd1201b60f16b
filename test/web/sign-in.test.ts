import { createHash, randomBytes } from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { startDevIssuer, type RunningDevIssuer } from '../../infra/dev-issuer-server';
import { safeReturnTo } from '../../web/auth-routes';
import { errorsByField } from '../../web/pages/priority-action';
import { seal, unseal } from '../../web/session';
import { createTestIssuer } from '../support/auth';

const CALLBACK = 'http://localhost:4999/auth/callback';
const verifier = randomBytes(32).toString('base64url');
const challenge = createHash('sha256').update(verifier).digest('base64url');

let issuer: RunningDevIssuer;
let jwks: Parameters<typeof createLocalJWKSet>[0];
beforeAll(async () => {
  const test = await createTestIssuer();
  jwks = test.config.jwks!;
  issuer = await startDevIssuer({ issuer: 'urn:test-issuer', audience: 'aud', port: 0, host: '127.0.0.1', signing: { privateKey: test.privateKey, kid: test.kid, jwks }, redirectUris: [CALLBACK] });
});
afterAll(async () => {
  await issuer?.stop();
});

const authorizeParams = (over: Record<string, string> = {}) =>
  new URLSearchParams({ response_type: 'code', client_id: 'send-web', redirect_uri: CALLBACK, state: 'st', code_challenge: challenge, code_challenge_method: 'S256', ...over });

async function code(form: Record<string, string>): Promise<string> {
  const res = await fetch(`${issuer.url}/authorize`, { method: 'POST', body: authorizeParams(form), redirect: 'manual' });
  expect(res.status).toBe(303);
  const back = new URL(res.headers.get('location')!);
  expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
  expect(back.searchParams.get('state')).toBe('st');
  return back.searchParams.get('code')!;
}

const exchange = (c: string, v = verifier) =>
  fetch(`${issuer.url}/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', code: c, redirect_uri: CALLBACK, client_id: 'send-web', code_verifier: v }) });

describe('the development issuer\'s code flow', () => {
  it('publishes its endpoints and shows a sign-in page only for a PKCE request to an accepted redirect URI', async () => {
    const discovery = (await (await fetch(`${issuer.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({ authorization_endpoint: `${issuer.url}/authorize`, token_endpoint: `${issuer.url}/token`, code_challenge_methods_supported: ['S256'] });
    const page = await fetch(`${issuer.url}/authorize?${authorizeParams()}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="role"');
    expect((await fetch(`${issuer.url}/authorize?${authorizeParams({ redirect_uri: 'https://evil.example/cb' })}`)).status).toBe(400);
    expect((await fetch(`${issuer.url}/authorize?${authorizeParams({ code_challenge_method: 'plain' })}`)).status).toBe(400);
  });

  it('signs the chosen role, organisation and name, once, only for the matching verifier', async () => {
    const c = await code({ role: 'board_member', org: 'ICB', user: 'p.smith', expires: '1h' });
    const wrong = await exchange(c, randomBytes(32).toString('base64url'));
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: string }).error).toBe('invalid_grant');
    // The failed attempt used the code up: a code is good for one try.
    expect((await exchange(c)).status).toBe(400);

    const c2 = await code({ role: 'board_member', org: 'ICB', user: 'p.smith', expires: '1h' });
    const ok = await exchange(c2);
    expect(ok.status).toBe(200);
    const token = ((await ok.json()) as { access_token: string }).access_token;
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), { issuer: 'urn:test-issuer', audience: 'aud' });
    expect(payload).toMatchObject({ roles: ['board_member'], org: 'ICB', preferred_username: 'p.smith' });
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect((await exchange(c2)).status).toBe(400);
  });

  it('refuses an unknown role or a malformed organisation on its page, saying which', async () => {
    const res = await fetch(`${issuer.url}/authorize`, { method: 'POST', body: authorizeParams({ role: 'executive', org: 'NHS England', user: 'x', expires: '8h' }), redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Organisation must be LA, ICB or PARTNER:name');
    const bad = await fetch(`${issuer.url}/authorize`, { method: 'POST', body: authorizeParams({ role: 'superuser', expires: '8h' }), redirect: 'manual' });
    expect(await bad.text()).toContain('Choose a role');
  });
});

describe('the web app\'s session and redirects', () => {
  it('seals the session so it can be neither read nor altered, nor opened with another key', () => {
    const key = randomBytes(32);
    const sealed = seal(key, { token: 'secret-token', csrf: 'c' });
    expect(sealed).not.toContain('secret-token');
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain('secret-token');
    expect(unseal(key, sealed)).toEqual({ token: 'secret-token', csrf: 'c' });
    const raw = Buffer.from(sealed, 'base64url');
    raw[raw.length - 1] ^= 1;
    expect(unseal(key, raw.toString('base64url'))).toBeNull();
    expect(unseal(randomBytes(32), sealed)).toBeNull();
    expect(unseal(key, 'not-a-session')).toBeNull();
  });

  it('returns after sign-in only to a path on its own site', () => {
    expect(safeReturnTo('/kpis/PLANS_ACTIVE?interval=QUARTER')).toBe('/kpis/PLANS_ACTIVE?interval=QUARTER');
    for (const bad of ['https://evil.example/', '//evil.example/x', '/\\evil.example', '', null]) expect(safeReturnTo(bad)).toBe('/');
  });

  it('puts the API\'s field errors on the form\'s fields, and a value the schema refuses on its field too', () => {
    const fromProblems = errorsByField(
      [{ message: 'input.currentPosition: is required.', extensions: { code: 'BAD_USER_INPUT', field: 'input.currentPosition', problems: [{ field: 'input.currentPosition', message: 'input.currentPosition: is required.' }, { field: 'input.nextSteps', message: 'input.nextSteps: is required.' }] } }],
      'progress',
    );
    expect(fromProblems).toEqual({ fields: { currentPosition: 'is required.', nextSteps: 'is required.' }, other: [] });
    const fromSchema = errorsByField([{ message: 'Variable "$input" got invalid value "x" at "input.recordedDate"; Expected type "Date".', extensions: { code: 'BAD_USER_INPUT' } }], 'progress');
    expect(fromSchema.fields).toEqual({ recordedDate: 'Enter a valid value' });
    expect(errorsByField([{ message: 'Forbidden: your role may not perform recordProgressUpdate.', extensions: { code: 'FORBIDDEN' } }], 'progress')).toEqual({ fields: {}, other: ['Forbidden: your role may not perform recordProgressUpdate.'] });
  });
});
