/**
 * Files the import corpus (import-corpus.test.ts) does not hold, run through the
 * commands as a person would run them: whatever the file, the command ends with
 * an exit code (never an exception), a refusal writes nothing and names where in
 * the file it is (line, person or field), and nothing personal from the file, no
 * SQL and no file it points at (/etc/passwd) is printed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { casework } from '../../subgraphs/casework';
import { runCli as importSen2Cli } from '../../subgraphs/casework/import/cli';
import { governance } from '../../subgraphs/governance';
import { health } from '../../subgraphs/health';
import { main as importReferrals } from '../../subgraphs/health/import/referrals-cli';
import { openDatabase, type Orm } from '../../subgraphs/toolkit/database';
import { person, sen2 } from '../casework/sen2-builder';
import { adminUrl, createTestDatabases, TEST_LINK_KEY_SECRET, type TestDatabases } from '../support/databases';

const ZED = { Surname: 'Yarrowby', Forename: 'Ilsabet', PersonBirthDate: '2012-04-23', Sex: 'F', PostCode: 'NG5 1AB', UPN: 'K987654321098' };
const NHS = '9434765870';
const PERSONAL = [ZED.Surname, ZED.Forename, ZED.PersonBirthDate, ZED.PostCode, ZED.UPN, NHS];
const SQL = /\binsert\s+into\b|\bselect\b[\s\S]*\bfrom\b|\bupdate\s+\w+\s+set\b|SQLSTATE [0-9A-Z]{5}: .*"/i;
const REQUEST = [['ReceivedDate', '2023-01-02'], ['RequestOutcome', 'A']] as Parameters<typeof person>[1][number];
const VALID = sen2([person(ZED, [REQUEST])]);
const BINARY = gzipSync(Buffer.from(VALID));

/** A refusal must say where: a line, a person, a column or the file's header. */
const WHERE = /line \d+|person \d+|Person\[\d+\]|column|Header\/|file\t|the file/;

describe('importers given files no test had held', () => {
  let dbs: TestDatabases;
  let owner: Record<'casework' | 'health', pg.Client>;
  let healthOrm: Orm;
  let dir: string;
  const env = { ...process.env };

  beforeAll(async () => {
    dbs = await createTestDatabases([casework, health, governance]);
    owner = { casework: new pg.Client(dbs.logins.casework.ownerUrl), health: new pg.Client(dbs.logins.health.ownerUrl) };
    await Promise.all(Object.values(owner).map((c) => c.connect()));
    healthOrm = await openDatabase({ url: dbs.logins.health.appUrl, entities: health.entities, migrations: health.migrations, poolMax: 2 });
    dir = mkdtempSync(join(tmpdir(), 'import-unseen-'));
    Object.assign(process.env, { DATABASE_URL: adminUrl(), DB_PREFIX: dbs.prefix, DATA_DIR: dir, LINK_KEY_SECRET: TEST_LINK_KEY_SECRET });
  });
  afterAll(async () => {
    process.env = env;
    await healthOrm?.close(true);
    await Promise.all(Object.values(owner ?? {}).map((c) => c.end()));
    await dbs?.drop();
  });

  const count = async (database: keyof typeof owner, table: string) => (await owner[database].query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;
  const file = (name: string, content: string | Buffer) => {
    const path = join(dir, name.replace(/\W+/g, '-'));
    writeFileSync(path, content);
    return path;
  };
  const expectNoLeak = (output: string) => {
    for (const value of PERSONAL) expect(output).not.toContain(value);
    expect(output).not.toMatch(SQL);
    expect(output).not.toMatch(/root:x?:0:0/);
    expect(output).not.toMatch(/\n\s+at .+:\d+:\d+/);
  };
  const capture = async (run: () => Promise<number>) => {
    const printed: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void printed.push(a.join(' ')));
    const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void printed.push(a.join(' ')));
    try {
      return { code: await run(), output: printed.join('\n') };
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  };

  const header = VALID.slice(0, VALID.indexOf('<Persons>'));
  const SEN2: Array<[string, string | Buffer]> = [
    ['a gzipped return', BINARY],
    ['a PNG', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')],
    ['a birth date of 30 February', VALID.replace(ZED.PersonBirthDate, '2012-02-30')],
    ['a received date of month 13', VALID.replace('2023-01-02', '2023-13-02')],
    ['a year that is not a number', VALID.replace('<Year>2024</Year>', '<Year>MMXXIV</Year>')],
    ['a reference date that is not a date', VALID.replace('2024-01-18', 'yesterday')],
    ['a second root element', `${VALID}<Message></Message>\n`],
    ['a wrong root element', VALID.replace('<Message>', '<Return>').replace('</Message>', '</Return>')],
    ['a person with no surname', VALID.replace(`<Surname>${ZED.Surname}</Surname>`, '')],
    ['an unknown request outcome', VALID.replace('<RequestOutcome>A</RequestOutcome>', '<RequestOutcome>Q</RequestOutcome>')],
    ['an XInclude of /etc/passwd', VALID.replace('<Persons>', '<Persons xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file:///etc/passwd" parse="text"/>')],
    ['a character reference to a surrogate', VALID.replace(ZED.Surname, 'Yarr&#xD800;owby')],
    ['a CDATA section holding a formula', VALID.replace(ZED.Surname, '<![CDATA[=cmd|\' /C calc\'!A0]]>')],
    ['a header and no persons', `${header}<Persons>\n  </Persons>\n</Message>\n`],
    ['the header twice', VALID.replace('<Persons>', `${/<Header>[\s\S]*<\/Header>/.exec(VALID)![0]}\n  <Persons>`)],
    ['a file cut inside the XML declaration', VALID.slice(0, 20)],
  ];

  const EXTRACT_HEADER = 'upn,uln,surname,forename,birth_date,nhs_number,district,team,allocated_worker,no_worker_reason,no_worker_review_date';
  const extractRow = `${ZED.UPN},,${ZED.Surname},${ZED.Forename},${ZED.PersonBirthDate},${NHS},Ashfield,Plan and Review North,Sam Atkins,,`;
  const EXTRACTS: Array<[string, string]> = [
    ['a row longer than its header (an unquoted comma)', `${EXTRACT_HEADER}\n${extractRow.replace('Plan and Review North', 'Plan, Review North')}\n`],
    ['rows that do not match the header\'s order', `${EXTRACT_HEADER.split(',').reverse().join(',')}\n${extractRow}\n`],
    ['a birth date of 31 April', `${EXTRACT_HEADER}\n${extractRow.replace(ZED.PersonBirthDate, '2012-04-31')}\n`],
  ];
  it.each(EXTRACTS)('a case extract with %s: refused, saying where; nothing written; nothing personal printed', async (name, extract) => {
    const { code, output } = await capture(() => importSen2Cli([file(`${name}.xml`, VALID), '--case-extract', file(`${name}.csv`, extract)]));
    expect(code).toBe(1);
    expect(output).toMatch(/REFUSED|nothing was imported/);
    expect(output).toMatch(/case-extract row 1|case extract/);
    expectNoLeak(output);
    expect(await count('casework', 'child')).toBe(0);
  });

  it.each(SEN2)('SEN2, %s: refused, saying where; nothing written; nothing personal printed', async (name, content) => {
    const { code, output } = await capture(() => importSen2Cli([file(`${name}.xml`, content)]));
    expect(code).toBe(1);
    expect(output).toMatch(/REFUSED|nothing was imported/);
    expect(output).toMatch(WHERE);
    expectNoLeak(output);
    expect(await count('casework', 'child')).toBe(0);
    expect(await count('casework', 'audit_event')).toBe(0);
  });

  const HEADER = 'referral_id,nhs_number,service_code,pathway,urgency,received_date,first_contact_date,second_contact_date,discharge_date,discharge_reason';
  const row = (o: Partial<Record<'id' | 'received' | 'pathway' | 'nhs', string>> = {}) => `${o.id ?? 'P-1'},${o.nhs ?? NHS},NN-CAMHS,${o.pathway ?? 'CAMHS'},ROUTINE,${o.received ?? '2025-01-10'},,,,`;
  const io = (out: string[]) => ({
    today: '2026-11-22',
    out: (l: string) => out.push(l),
    err: (l: string) => out.push(l),
    open: async () => ({ orm: healthOrm, config: { linkKeySecret: TEST_LINK_KEY_SECRET }, close: async () => undefined }),
  });
  const CSV: Array<[string, string | Buffer]> = [
    ['a gzipped file', gzipSync(Buffer.from(`${HEADER}\n${row()}\n`))],
    ['a received date of 30 February', `${HEADER}\n${row({ received: '2025-02-30' })}\n`],
    ['a received date in the future', `${HEADER}\n${row({ received: '2099-01-01' })}\n`],
    ['too few columns', `${HEADER}\nP-1,${NHS},NN-CAMHS\n`],
    ['too many columns', `${HEADER}\n${row()},extra,more\n`],
    ['a column missing from the header', `${HEADER.replace('urgency,', '')}\n${row()}\n`],
    ['columns in another order', `${HEADER.split(',').reverse().join(',')}\n${row()}\n`],
    ['the same referral twice', `${HEADER}\n${row()}\n${row()}\n`],
    ['an unknown pathway', `${HEADER}\n${row({ pathway: 'ASTROLOGY' })}\n`],
    ['an NHS number that fails its check digit', `${HEADER}\n${row({ nhs: '9434765871' })}\n`],
    ['an NHS number of letters', `${HEADER}\n${row({ nhs: 'ABCDEFGHIJ' })}\n`],
    ['UTF-16', Buffer.from(`\ufeff${HEADER}\n${row()}\n`, 'utf16le')],
  ];

  it.each(CSV)('referrals, %s: refused, naming line and column; nothing written; no NHS number printed', async (name, content) => {
    const out: string[] = [];
    const code = await importReferrals([file(`referrals-${name}.csv`, content)], io(out));
    const output = out.join('\n');
    const written = await count('health', 'referral');
    // Left for the next case to start clean; the audit trail, append-only, keeps what was written.
    await owner.health.query('TRUNCATE referral CASCADE');
    expect(code).toBe(1);
    expect(output).toMatch(/Refused/);
    expect(output).toMatch(WHERE);
    expectNoLeak(output);
    expect(written).toBe(0);
  });

  it('referrals with a byte-order mark and CRLF line ends import as the plain file does', async () => {
    const out: string[] = [];
    const code = await importReferrals([file('referrals-bom-crlf.csv', `\ufeff${HEADER}\r\n${row()}\r\n`)], io(out));
    expect(out.join('\n')).not.toMatch(/Refused/);
    expect(code).toBe(0);
    expect(await count('health', 'referral')).toBe(1);
    expectNoLeak(out.join('\n'));
    await owner.health.query('TRUNCATE referral CASCADE');
  });
});
