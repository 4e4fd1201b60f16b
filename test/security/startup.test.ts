import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { authConfigFromEnv } from '../../platform/auth';
import { DEV_ISSUER } from '../../infra/dev-issuer';

const ROOT = join(__dirname, '..', '..');

/** Runs a built entry point with exactly this environment (no OIDC_* inherited) and returns its exit code and output. */
function run(script: string, env: Record<string, string>, args: string[] = []): { code: number | null; output: string } {
  const path = join(ROOT, 'dist', script);
  if (!existsSync(path)) throw new Error(`${path} is missing: \`npm test\` builds before running jest.`);
  const res = spawnSync(process.execPath, [path, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 30_000 });
  return { code: res.status, output: `${res.stdout}${res.stderr}` };
}

const SAYS_WHAT_TO_SET = /OIDC_ISSUER.*OIDC_AUDIENCE.*OIDC_JWKS_URL/;

describe('no token issuer, no service', () => {
  it('the gateway refuses to start in production without issuer settings, saying what to set', () => {
    const { code, output } = run('gateway/main.js', { NODE_ENV: 'production', PORT: '0' });
    expect(code).not.toBe(0);
    expect(output).toMatch(SAYS_WHAT_TO_SET);
    expect(output).not.toMatch(/listening/);
  });

  it.each(['casework', 'health', 'governance'])('the %s subgraph refuses to start in production without issuer settings', (name) => {
    const { code, output } = run(`subgraphs/${name}/main.js`, { NODE_ENV: 'production', PORT: '0', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(code).not.toBe(0);
    expect(output).toMatch(SAYS_WHAT_TO_SET);
  });

  it('the start command refuses to start in production without an issuer', () => {
    const dataDir = join(ROOT, '.test-data', `startup-${process.pid}`);
    const { code, output } = run('infra/start.js', { NODE_ENV: 'production', DATA_DIR: dataDir, LINK_KEY_SECRET: 'a-long-enough-test-secret-for-link-keys' });
    rmSync(dataDir, { recursive: true, force: true });
    expect(code).not.toBe(0);
    expect(output).toMatch(SAYS_WHAT_TO_SET);
    expect(output).not.toMatch(/starting embedded PostgreSQL/);
  });

  it('the development issuer is not accepted in production, even when configured by hand', () => {
    const env = { NODE_ENV: 'production', OIDC_ISSUER: DEV_ISSUER, OIDC_AUDIENCE: 'x', OIDC_JWKS: '{"keys":[]}' };
    expect(() => authConfigFromEnv(env)).toThrow(/not accepted in production.*OIDC_ISSUER/);
    expect(() => authConfigFromEnv({ ...env, NODE_ENV: 'development' })).not.toThrow();
  });

  it('`npm run token` will not mint development tokens in production', () => {
    const { code, output } = run('infra/token.js', { NODE_ENV: 'production' }, ['--role', 'executive']);
    expect(code).not.toBe(0);
    expect(output).toMatch(/not available in production/);
  });

  it('a bad limit setting stops the gateway, naming the variable', () => {
    const { code, output } = run('gateway/main.js', { NODE_ENV: 'development', PORT: '0', GRAPHQL_MAX_DEPTH: 'deep', OIDC_ISSUER: 'urn:x', OIDC_AUDIENCE: 'x', OIDC_JWKS: '{"keys":[]}' });
    expect(code).not.toBe(0);
    expect(output).toMatch(/GRAPHQL_MAX_DEPTH must be a whole number/);
  });
});
