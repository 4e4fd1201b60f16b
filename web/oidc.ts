/**
 * Sign-in by the OpenID Connect authorization code flow with PKCE (S256): the
 * app sends the browser to the issuer with a challenge, and exchanges the code
 * it gets back, with the verifier, for the person's token. The app is a
 * confidential client when OIDC_CLIENT_SECRET is set.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { WebConfig } from './config';

export interface IssuerEndpoints {
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}

let cached: { url: string; endpoints: IssuerEndpoints } | null = null;

export async function discover(config: WebConfig): Promise<IssuerEndpoints> {
  if (cached?.url === config.oidc.discoveryUrl) return cached.endpoints;
  const res = await fetch(config.oidc.discoveryUrl, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`The issuer's discovery document answered ${res.status}.`);
  const endpoints = (await res.json()) as IssuerEndpoints;
  if (!endpoints.authorization_endpoint || !endpoints.token_endpoint) throw new Error('The issuer\'s discovery document names no authorization or token endpoint.');
  cached = { url: config.oidc.discoveryUrl, endpoints };
  return endpoints;
}

export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');
export const challengeOf = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

export function redirectUri(config: WebConfig): string {
  return `${config.publicUrl}/auth/callback`;
}

export function authorizeUrl(config: WebConfig, endpoints: IssuerEndpoints, pending: { state: string; verifier: string; nonce: string }): string {
  const url = new URL(endpoints.authorization_endpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', config.oidc.clientId);
  url.searchParams.set('redirect_uri', redirectUri(config));
  url.searchParams.set('scope', 'openid profile');
  url.searchParams.set('state', pending.state);
  url.searchParams.set('nonce', pending.nonce);
  url.searchParams.set('code_challenge', challengeOf(pending.verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}

/** Exchanges the code for the access token the gateway accepts. */
export async function exchangeCode(config: WebConfig, endpoints: IssuerEndpoints, code: string, verifier: string): Promise<string> {
  const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri(config), client_id: config.oidc.clientId, code_verifier: verifier });
  if (config.oidc.clientSecret) body.set('client_secret', config.oidc.clientSecret);
  const res = await fetch(endpoints.token_endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, signal: AbortSignal.timeout(10_000) });
  const answer = (await res.json().catch(() => ({}))) as { access_token?: string; error?: string; error_description?: string };
  if (!res.ok || !answer.access_token) throw new Error(`The issuer refused the sign-in: ${answer.error_description ?? answer.error ?? res.status}.`);
  return answer.access_token;
}
