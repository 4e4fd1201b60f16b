import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Environment } from 'nunjucks';
import type { WebConfig } from './config';
import { callGateway, type GraphQLAnswer } from './gateway-client';
import { navFor } from './nav';
import type { Session } from './session';

/** What a page handler gets: the request, the signed-in person, and the API. */
export interface PageContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  session: Session;
  config: WebConfig;
  /** Calls the gateway's GraphQL API as the signed-in person. */
  api<T>(query: string, variables?: Record<string, unknown>): Promise<GraphQLAnswer<T>>;
  /** Renders a template inside the layout, with the person and the navigation filled in. */
  render(template: string, data: Record<string, unknown>, status?: number): void;
  /**
   * Sends the layout's top at once (header, navigation: the first paint), then
   * the content `produce` renders once the API has answered. Everything that can
   * refuse the request (session, input) is checked before, since the status is
   * sent with the top.
   */
  stream(data: Record<string, unknown>, produce: () => Promise<{ template: string; data: Record<string, unknown> }>): Promise<void>;
  redirect(location: string): void;
  /** The posted form, its CSRF token already checked. */
  form(): Promise<URLSearchParams>;
}

export interface Route {
  method: 'GET' | 'POST';
  /** Path pattern; named groups become params. */
  path: RegExp;
  handle(ctx: PageContext): Promise<void>;
  /**
   * Also answers a request that brings its own `Authorization: Bearer` token
   * instead of a session (a script downloading a CSV): the gateway checks the
   * token as it checks every call. GET routes only, so no form to forge.
   */
  bearer?: boolean;
}

const ROLE_LABELS: Record<string, string> = {
  executive: 'executive',
  board_member: 'board member',
  icb_analyst: 'ICB analyst',
  la_caseworker: 'caseworker',
  designated_clinical_officer: 'designated clinical officer',
  auditor: 'auditor',
  admin: 'administrator',
  partner_app: 'partner app',
};

export function roleLabel(roles: readonly string[]): string {
  return roles.map((r) => ROLE_LABELS[r] ?? r).join(', ') || 'no role';
}

export function pageLocals(session: Session | null, path: string, nonce: string): Record<string, unknown> {
  return {
    cspNonce: nonce,
    user: session ? { name: session.user, roleLabel: roleLabel(session.roles), org: session.org, roles: session.roles } : null,
    nav: session ? navFor(session.roles, path) : [],
    csrf: session?.csrf ?? '',
  };
}

export function makeApi(config: WebConfig, session: Session) {
  return <T>(query: string, variables: Record<string, unknown> = {}) => callGateway<T>(config.gatewayUrl, session.token, query, variables);
}

export function renderPage(views: Environment, res: ServerResponse, template: string, data: Record<string, unknown>, status = 200): void {
  const html = views.render(template, data);
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}
