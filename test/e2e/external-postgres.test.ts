import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { dropDatabases } from '../../subgraphs/toolkit/database/provision';
import { adminUrl } from '../support/databases';
import { freePort } from '../support/ports';

const ROOT = join(__dirname, '..', '..');
const START = join(ROOT, 'dist', 'infra', 'start.js');

/** What docker-compose does: the start command pointed at a PostgreSQL server it does not own. */
describe('the start command with DATABASE_URL', () => {
  const prefix = `e${randomBytes(3).toString('hex')}`;
  const dataDir = join(ROOT, '.test-data', `ext-${prefix}`);
  afterAll(async () => {
    await dropDatabases(adminUrl(), prefix, ['casework', 'health', 'governance']);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('provisions its databases on that server, serves, and leaves the server running when stopped', async () => {
    if (!existsSync(START)) throw new Error('dist/ is missing: `npm test` builds before running jest.');
    const port = await freePort();
    const env = {
      ...process.env,
      DATABASE_URL: adminUrl(),
      DB_PREFIX: prefix,
      DATA_DIR: dataDir,
      SEED: 'none',
      PORT: String(port),
      CASEWORK_PORT: String(await freePort()),
      HEALTH_PORT: String(await freePort()),
      GOVERNANCE_PORT: String(await freePort()),
    };
    const child = spawn(process.execPath, [START], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const deadline = Date.now() + 60_000;
    while (!output.includes('ready: gateway') && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(output).toContain('using the PostgreSQL server at DATABASE_URL');
    expect(output).toContain('ready: gateway');
    expect(output).not.toContain('loading synthetic data');
    expect((await fetch(`http://localhost:${port}/health/ready`)).status).toBe(200);

    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);

    // The server is not ours to stop; our databases are on it, empty (SEED=none) and migrated.
    const client = new pg.Client({ connectionString: adminUrl().replace(/\/[^/]*$/, `/${prefix}_casework`) });
    await client.connect();
    try {
      expect((await client.query('SELECT count(*)::int AS n FROM child')).rows[0].n).toBe(0);
      expect((await client.query('SELECT count(*)::int AS n FROM mikro_orm_migrations')).rows[0].n).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });
});
