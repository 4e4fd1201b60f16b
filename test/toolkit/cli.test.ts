import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runningEmbeddedPort } from '../../subgraphs/toolkit/cli';

/** How an importer finds a running stack's PostgreSQL: from the server's own pid file. */
describe('runningEmbeddedPort', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cli-'));
    mkdirSync(join(dir, 'pg'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const pidFile = (pid: number, port: string) => writeFileSync(join(dir, 'pg', 'postmaster.pid'), `${pid}\n${dir}/pg\n1763800000\n${port}\n/tmp\nlocalhost\n`);

  it('reads the port of a live server, whatever EMBEDDED_PG_PORT says', () => {
    pidFile(process.pid, '5499');
    expect(runningEmbeddedPort(dir)).toBe(5499);
  });
  it('is null with no pid file, or when the server in it is gone', () => {
    expect(runningEmbeddedPort(dir)).toBeNull();
    pidFile(2 ** 22 + 12345, '5499'); // above Linux's largest pid
    expect(runningEmbeddedPort(dir)).toBeNull();
  });
});
