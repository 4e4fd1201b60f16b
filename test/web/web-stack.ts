/**
 * The web app over the real stack, for browser tests: the three subgraphs and
 * the gateway on seeded databases (test/support/stack.ts), the development
 * issuer's sign-in signing with the test issuer's key, and the web app as the
 * process `npm start` runs (dist/web/main.js: built by `npm test`), each on a
 * free port; and Debian's chromium driven by playwright-core.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startDevIssuer, type RunningDevIssuer } from '../../infra/dev-issuer-server';
import { TEST_AUDIENCE, TEST_ISSUER } from '../support/auth';
import { freePort } from '../support/ports';
import { startTestStack, type TestStack } from '../support/stack';
import { TEST_LINK_KEY_SECRET } from '../support/databases';

/** Debian's chromium (infra/install-chromium.sh); never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'web');
/** The day the synthetic history runs up to by default; pages are opened "as at" it. */
export const TODAY = '2026-11-22';

export interface WebStack {
  stack: TestStack;
  issuer: RunningDevIssuer;
  web: { url: string; process: ChildProcess };
  browser: Browser;
  /** The day the seeded history runs up to. */
  today: string;
  stop(): Promise<void>;
}

/**
 * `today`: the day the history runs up to (pages that open "as at" today by
 * default need the real date); `scale`: the synthetic population's size.
 */
export async function startWebStack(options: { scale?: number; today?: string } = {}): Promise<WebStack> {
  const today = options.today ?? TODAY;
  // Before the stack, and never blocking: a compile (or the check for one) that held this process's
  // event loop past the gateway's 2 s readiness probe would find all three subgraphs down.
  await buildIfChanged();
  const stack = await startTestStack({ seed: { linkKeySecret: TEST_LINK_KEY_SECRET, scale: options.scale ?? 0.02, today, log: () => undefined } });
  // What has started, stopped in reverse if a later part fails (no browser here, say): a web process
  // left running holds jest's output open and jest never exits.
  const stops: Array<() => Promise<unknown>> = [() => stack.stop()];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    const webPort = await freePort();
    const publicUrl = `http://localhost:${webPort}`;
    const issuer = await startDevIssuer({
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      port: 0,
      host: '127.0.0.1',
      signing: { privateKey: stack.issuer.privateKey, kid: stack.issuer.kid, jwks: stack.issuer.config.jwks! },
      redirectUris: [`${publicUrl}/auth/callback`],
    });
    stops.push(() => issuer.stop());
    const web = await startWebProcess({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      WEB_PORT: String(webPort),
      WEB_PUBLIC_URL: publicUrl,
      GATEWAY_URL: stack.gateway.url,
      OIDC_DISCOVERY_URL: `${issuer.url}/.well-known/openid-configuration`,
      WEB_SESSION_SECRET: randomBytes(32).toString('base64url'),
      LOG_LEVEL: 'warn',
    });
    stops.push(() => stopProcess(web.process));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    stops.push(() => browser.close());
    mkdirSync(ARTIFACTS, { recursive: true });
    return { stack, issuer, web, browser, today, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

const ROOT = join(__dirname, '..', '..');

/** Compiles dist/ if a source changed since the last build (a lone test file run by jest, say). */
async function buildIfChanged(): Promise<void> {
  await promisify(execFile)(process.execPath, [join(ROOT, 'infra', 'build-if-changed.cjs')], { cwd: ROOT, timeout: 600_000, maxBuffer: 64 * 1024 * 1024 });
}

/**
 * The web app as `npm start` runs it: its own process from the build (dist/),
 * ready when /health/ready answers. Its own process because it loads ES-module packages
 * (Observable Plot, linkedom's parsers) that jest's module sandbox cannot.
 */
async function startWebProcess(env: Record<string, string>): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'web', 'main.js')], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  const url = `http://localhost:${env.WEB_PORT}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the web app exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/health/ready`).then((r) => r.ok, () => false);
    if (ok) return { url, process: child };
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error('the web app did not become ready within 30 s');
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** Opens a URL of the app in a fresh context and signs in on the issuer's page as the role; returns on the page asked for. */
export async function signIn(w: WebStack, role: string, path = '/', options: { user?: string; expires?: string } = {}): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await w.browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  // A console error (a CSP refusal is one) or a resource that failed; the page itself may answer 400 or 404 on purpose.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource: the server responded with a status of')) problems.push(m.text());
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== 'document') problems.push(`${r.status()} ${r.url()}`);
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${w.web.url}${path}`);
  await signInOnIssuerPage(w, page, role, options);
  return { context, page, problems };
}

export async function signInOnIssuerPage(w: WebStack, page: Page, role: string, options: { user?: string; expires?: string } = {}): Promise<void> {
  if (!page.url().startsWith(w.issuer.url)) throw new Error(`expected the issuer's sign-in page, got ${page.url()}`);
  await page.locator(`input[name="role"][value="${role}"]`).check();
  await page.fill('#user', options.user ?? `test.${role}`);
  if (options.expires) await page.selectOption('#expires', options.expires);
  await Promise.all([page.waitForURL((u) => u.toString().startsWith(w.web.url)), page.click('button[type=submit]')]);
  await page.waitForLoadState('load');
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations on the page (WCAG 2.0-2.2 A and AA rules), as rule id and the nodes' targets. */
export async function axeViolations(page: Page): Promise<Array<{ id: string; targets: string[] }>> {
  // Evaluated through the DevTools protocol, not as a <script>: the page's CSP allows no inline script, rightly.
  await page.evaluate(AXE);
  const result = (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })`)) as { violations: Array<{ id: string; nodes: Array<{ target: string[] }> }> };
  return result.violations.map((v) => ({ id: v.id, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
