import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError, failureMessage, runningEmbeddedPort } from '../../subgraphs/toolkit/cli';

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

/** What an import command prints when something it did not expect fails. */
describe('failureMessage', () => {
  it('names a database error by its SQLSTATE, never by its message (which quotes the SQL and the values)', () => {
    const err = Object.assign(new Error("insert into \"child\" (\"surname\") values ('Zyxwvut') - value too long for type character varying(255)"), { code: '22001' });
    const message = failureMessage(err);
    expect(message).toContain('SQLSTATE 22001: a value too long for its column');
    expect(message).not.toMatch(/insert|Zyxwvut|varying/);
  });

  it('names a network error by its code; prints a CliError as written; hides anything else', () => {
    expect(failureMessage(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe('cannot reach the database (ECONNREFUSED)');
    expect(failureMessage(new CliError('Cannot open the casework database "x": wrong password.'))).toBe('Cannot open the casework database "x": wrong password.');
    const other = failureMessage(new TypeError("Cannot read properties of undefined (reading 'Zyxwvut')"));
    expect(other).toContain('TypeError');
    expect(other).not.toContain('Zyxwvut');
  });
});
