import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startDevIssuer, type RunningDevIssuer } from '../../infra/dev-issuer-server';
import type { RoleName } from '../../platform/roles';
import { TEST_AUDIENCE, TEST_ISSUER } from '../support/auth';
import { TEST_LINK_KEY_SECRET } from '../support/databases';
import { freePort } from '../support/ports';
import { startTestStack, type TestStack } from '../support/stack';

/** Debian's chromium (infra/install-chromium.sh); never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'web');

/**
 * The whole thing a person uses, in this process: the seeded stack (subgraphs
 * and gateway), the development issuer's sign-in signing with the test issuer's
 * key, the web app, and Debian's chromium driven by playwright-core.
 */
export interface PagesHarness {
  stack: TestStack;
  issuer: RunningDevIssuer;
  web: { url: string; process: ChildProcess };
  browser: Browser;
  today: string;
  /** A browser context signed in as the role through the issuer's sign-in page. */
  signIn(role: RoleName, user?: string): Promise<{ context: BrowserContext; page: Page }>;
  stop(): Promise<void>;
}

export async function startPagesHarness(options: { scale?: number } = {}): Promise<PagesHarness> {
  const today = new Date().toISOString().slice(0, 10);
  const stack = await startTestStack({ seed: { linkKeySecret: TEST_LINK_KEY_SECRET, scale: options.scale ?? 0.1, today, log: () => undefined } });
  const webPort = await freePort();
  const publicUrl = `http://localhost:${webPort}`;
  const issuer = await startDevIssuer({
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
    port: 0,
    host: '127.0.0.1',
    signing: { privateKey: stack.issuer.privateKey, kid: stack.issuer.kid, jwks: stack.issuer.config.jwks as never },
    redirectUris: [`${publicUrl}/auth/callback`],
  });
  const web = await startWebProcess({
    WEB_PORT: String(webPort),
    HOST: '127.0.0.1',
    WEB_PUBLIC_URL: publicUrl,
    GATEWAY_URL: stack.gateway.url,
    OIDC_DISCOVERY_URL: `${issuer.url}/.well-known/openid-configuration`,
    OIDC_ISSUER: '',
    WEB_SESSION_SECRET: 'a test session secret of at least thirty-two characters',
    NODE_ENV: 'test',
  }, publicUrl);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    stack,
    issuer,
    web,
    browser,
    today,
    async signIn(role, user = `test-${role}`) {
      const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${web.url}/`);
      await page.locator(`input[name="role"][value="${role}"]`).check();
      await page.locator('#user').fill(user);
      await Promise.all([page.waitForURL((u) => u.origin === new URL(web.url).origin), page.locator('form button[type="submit"], form input[type="submit"]').first().click()]);
      return { context, page };
    },
    async stop() {
      await browser.close().catch(() => undefined);
      web.process.kill('SIGTERM');
      await issuer.stop();
      await stack.stop();
    },
  };
}

/** axe-core's violations on the page as it stands (the WCAG 2.0-2.2 A and AA rules). */
export async function axeViolations(page: Page): Promise<Array<{ id: string; nodes: string[] }>> {
  // Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern (a script tag would be refused).
  await page.evaluate(axe.source);
  return page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
    .then((r) => r.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) })))`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

const ROOT = join(__dirname, '..', '..');

/**
 * The web app as `npm start` runs it: its own process from the build (dist/),
 * compiled first if a source changed. Its own process because it loads ES-module
 * packages (Observable Plot, linkedom's parsers) that jest's module sandbox cannot.
 */
async function startWebProcess(env: Record<string, string>, url: string): Promise<{ url: string; process: ChildProcess }> {
  execFileSync(process.execPath, [join(ROOT, 'infra', 'build-if-changed.cjs')], { cwd: ROOT, stdio: 'ignore', timeout: 600_000 });
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'web', 'main.js')], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`the web app exited: ${stderr}`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return { url, process: child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`the web app did not start: ${stderr}`);
}
