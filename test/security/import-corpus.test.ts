/**
 * The import corpus: hostile and broken files for every importer, run through
 * each command as a person would run it. Each must be refused with a message
 * naming the line, record or field and the rule; nothing may be written; and no
 * personal value from the file may appear in what the command prints.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { casework } from '../../subgraphs/casework';
import { runCli as importSen2Cli } from '../../subgraphs/casework/import/cli';
import { governance } from '../../subgraphs/governance';
import { main as importDfe } from '../../subgraphs/governance/import/cli';
import { health } from '../../subgraphs/health';
import { main as importAdvice } from '../../subgraphs/health/import/health-advice-cli';
import { main as importReferrals } from '../../subgraphs/health/import/referrals-cli';
import { openDatabase, type Orm } from '../../subgraphs/toolkit/database';
import { person, sen2 } from '../casework/sen2-builder';
import { adminUrl, createTestDatabases, TEST_LINK_KEY_SECRET, type TestDatabases } from '../support/databases';

/** Personal values the corpus files hold: none may be printed, whatever goes wrong. */
const ZED = { Surname: 'Zyxwvut', Forename: 'Quorra', PersonBirthDate: '2011-09-17', Sex: 'F', PostCode: 'NG7 2QP', UPN: 'T923456789012' };
const NHS = '9434765919';
const PERSONAL = [ZED.Surname, ZED.Forename, ZED.PersonBirthDate, ZED.PostCode, ZED.UPN, NHS];
/** SQL in output means a database message got through. */
const SQL = /\binsert\s+into\b|\bselect\b[\s\S]*\bfrom\b|\bupdate\s+\w+\s+set\b|\bjson_to_recordset\b/i;

const REQUEST = [['ReceivedDate', '2023-01-02'], ['RequestOutcome', 'A']] as Parameters<typeof person>[1][number];
const VALID = sen2([person(ZED, [REQUEST]), person({ Surname: 'Other', Forename: 'Oona', PersonBirthDate: '2012-01-01', Sex: 'F' }, [REQUEST])]);
const EXTRACT_HEADER = 'upn,uln,surname,forename,birth_date,nhs_number,district,team,allocated_worker,no_worker_reason,no_worker_review_date';
const extractRow = (over: Partial<Record<'district' | 'team' | 'worker', string>> = {}) =>
  `${ZED.UPN},,${ZED.Surname},${ZED.Forename},${ZED.PersonBirthDate},${NHS},${over.district ?? 'Ashfield'},${over.team ?? 'Plan and Review North'},${over.worker ?? 'Sam Atkins'},,`;

const BILLION_LAUGHS = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE Message [
  <!ENTITY lol "lol">
  ${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('\n  ')}
]>
${VALID.slice(VALID.indexOf('<Message>')).replace(ZED.Surname, '&lol9;')}`;
const XXE = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE Message [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
${VALID.slice(VALID.indexOf('<Message>')).replace(ZED.Forename, '&xxe;')}`;

interface Sen2Case {
  name: string;
  file: string | Buffer;
  extract?: string | Buffer;
  /** What the output must say: where, and the rule. */
  says: RegExp[];
}

const SEN2_CORPUS: Sen2Case[] = [
  { name: 'a truncated file', file: VALID.slice(0, VALID.indexOf('</Persons>') - 40), says: [/line \d+, column \d+/, /not well-formed XML: unclosed tag/, /looks cut short/] },
  { name: 'an encoding the importer does not read', file: VALID.replace('UTF-8', 'EBCDIC-US'), says: [/names the encoding "EBCDIC-US"/, /UTF-8 or ISO-8859-1/] },
  { name: 'a UTF-16 file', file: Buffer.from(`\ufeff${VALID.replace('UTF-8', 'UTF-16')}`, 'utf16le'), says: [/UTF-16/, /save the file as UTF-8/] },
  { name: 'Latin-1 bytes under a UTF-8 declaration', file: Buffer.from(VALID.replace(ZED.Surname, 'Zyxwvüt'), 'latin1'), says: [/line 9, column 0/, /line 9 holds bytes that are not valid UTF-8 \(the first is 0xFC\)/] },
  { name: 'billion laughs', file: BILLION_LAUGHS, says: [/line 2, column \d+/, /DOCTYPE declaration/, /refused unread/] },
  { name: 'an external entity (XXE)', file: XXE, says: [/line 2, column \d+/, /DOCTYPE declaration/] },
  { name: 'an entity reference with no DOCTYPE', file: VALID.replace(ZED.Surname, '&xxe;'), says: [/line 9, column \d+/, /undefined entity/, /in Person\[1\]\/Surname/] },
  { name: 'a harmless-looking DOCTYPE', file: VALID.replace('<Message>', '<!DOCTYPE Message>\n<Message>'), says: [/DOCTYPE declaration/] },
  {
    name: 'no header',
    file: VALID.replace(/<Header>[\s\S]*<\/Header>/, ''),
    says: [/file\tHeader\/CollectionDetails\/Collection\t\(missing\)\trequired/, /Header\/CollectionDetails\/Year\t\(missing\)\trequired/, /Header\/CollectionDetails\/ReferenceDate\t\(missing\)\trequired/, /Header\/Source\/LEA\t\(missing\)\trequired/],
  },
  { name: 'no LEA', file: VALID.replace('<LEA>891</LEA>', ''), says: [/file\tHeader\/Source\/LEA\t\(missing\)\trequired/] },
  { name: 'a wrong namespace', file: VALID.replace('<Message>', '<Message xmlns="http://www.example.org/not-sen2">'), says: [/line 2, column \d+/, /<Message> is in the namespace "http:\/\/www.example.org\/not-sen2"/] },
  { name: 'a namespace by prefix', file: VALID.replace('<Message>', '<s:Message xmlns:s="urn:sen2">').replace('</Message>', '</s:Message>'), says: [/<s:Message> is in the namespace "urn:sen2"/] },
  { name: 'an empty file', file: '', says: [/The file is empty/] },
  { name: 'a file of blank lines', file: '\n\n\n', says: [/must contain a root element/] },
  { name: 'a NUL byte', file: VALID.replace(ZED.Surname, 'Zyx\u0000wvut'), says: [/line 9, column \d+/, /disallowed character/, /in Person\[1\]\/Surname/] },
  { name: 'a NUL character reference', file: VALID.replace(ZED.Surname, 'Zyx&#0;wvut'), says: [/line 9, column \d+/, /not well-formed XML/] },
  { name: 'a control character', file: VALID.replace(ZED.Surname, 'Zyx&#x1B;wvut'), says: [/line 9, column \d+/, /not well-formed XML/] },
  { name: 'a 300-character surname', file: VALID.replace(ZED.Surname, 'Z'.repeat(300)), says: [/person 1\tPerson\[1\]\/Surname\t\(withheld: personal data, 300 characters\)\tat most 255 characters \(this one has 300\)/] },
  { name: 'a 100,000-character surname', file: VALID.replace(ZED.Surname, 'Z'.repeat(100_000)), says: [/person 1\tPerson\[1\]\/Surname\t\(too long: not kept\)\tmore than 4,096 characters/] },
  { name: 'a 100,000-character tag', file: VALID.replace('<Surname>', `<Surname a="${'a'.repeat(100_000)}">`), says: [/markup .* longer than 65,536 characters/, /in Person\[1\]/] },
  { name: 'a formula for a surname', file: VALID.replace(ZED.Surname, '=HYPERLINK("http://example.org","x")'), says: [/person 1\tPerson\[1\]\/Surname\t\(withheld: personal data, \d+ characters\)\tstarts with "="/] },
  { name: 'a formula for a forename', file: VALID.replace(ZED.Forename, '@SUM(A1:A9)'), says: [/Person\[1\]\/Forename\t.*\tstarts with "@"/] },
  { name: 'a case extract with a formula', file: VALID, extract: `${EXTRACT_HEADER}\n${extractRow({ district: '=1+1' })}\n`, says: [/case-extract row 1\tcase-extract\/district\t"=1\+1"\tstarts with "="/] },
  { name: 'a case extract with a formula in a worker\'s name', file: VALID, extract: `${EXTRACT_HEADER}\n${extractRow({ worker: '+cmd|x' })}\n`, says: [/case-extract row 1\tcase-extract\/allocated_worker\t\(withheld: personal data, 6 characters\)\tstarts with "\+"/] },
  { name: 'a case extract with a NUL byte', file: VALID, extract: `${EXTRACT_HEADER}\n${extractRow({ team: 'Plan\u0000Review' })}\n`, says: [/case-extract row 1\tcase-extract\/team\t"Plan\\u0000Review"\tholds a control character \(U\+0000\)/] },
  { name: 'a case extract with a 300-character team', file: VALID, extract: `${EXTRACT_HEADER}\n${extractRow({ team: 'T'.repeat(300) })}\n`, says: [/case-extract row 1\tcase-extract\/team\t\(missing\)\tat most 255 characters \(this one has 300\)/] },
  { name: 'a case extract in Latin-1', file: VALID, extract: Buffer.from(`${EXTRACT_HEADER}\n${extractRow({ district: 'Bassetlaw Süd' })}\n`, 'latin1'), says: [/case extract\t\(missing\)\tline 2 holds bytes that are not valid UTF-8/] },
  { name: 'an empty case extract', file: VALID, extract: '', says: [/case extract\t\(missing\)\tthe file is empty/] },
  { name: 'a case extract with a header only', file: VALID, extract: `${EXTRACT_HEADER}\n`, says: [/case extract\t\(missing\)\tthe file has a header but no rows/] },
  { name: 'a case extract with an unclosed quote', file: VALID, extract: `${EXTRACT_HEADER}\n${extractRow({ district: '"Ashfield' })}\n`, says: [/a quoted field is never closed/] },
  { name: 'a case extract with a stray quote', file: VALID, extract: `${EXTRACT_HEADER}\n${extractRow({ district: `Ash"field ${ZED.Surname}` })}\n`, says: [/a quote appears inside a field that is not quoted \(line 2\)/] },
];

describe('the import corpus: every importer refuses hostile and broken files, writes nothing and prints no personal value', () => {
  let dbs: TestDatabases;
  let owner: Record<'casework' | 'health' | 'governance', pg.Client>;
  let healthOrm: Orm;
  let governanceOrm: Orm;
  let dir: string;
  const env = { ...process.env };

  beforeAll(async () => {
    dbs = await createTestDatabases([casework, health, governance]);
    owner = { casework: new pg.Client(dbs.logins.casework.ownerUrl), health: new pg.Client(dbs.logins.health.ownerUrl), governance: new pg.Client(dbs.logins.governance.ownerUrl) };
    await Promise.all(Object.values(owner).map((c) => c.connect()));
    healthOrm = await openDatabase({ url: dbs.logins.health.appUrl, entities: health.entities, migrations: health.migrations, poolMax: 2 });
    governanceOrm = await openDatabase({ url: dbs.logins.governance.appUrl, entities: governance.entities, migrations: governance.migrations, poolMax: 2 });
    dir = mkdtempSync(join(tmpdir(), 'import-corpus-'));
    Object.assign(process.env, { DATABASE_URL: adminUrl(), DB_PREFIX: dbs.prefix, DATA_DIR: dir, LINK_KEY_SECRET: TEST_LINK_KEY_SECRET });
  });
  afterAll(async () => {
    process.env = env;
    await healthOrm?.close(true);
    await governanceOrm?.close(true);
    await Promise.all(Object.values(owner ?? {}).map((c) => c.end()));
    await dbs?.drop();
  });

  const count = async (database: keyof typeof owner, table: string) => (await owner[database].query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;
  const file = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const expectNoLeak = (output: string) => {
    for (const value of PERSONAL) expect(output).not.toContain(value);
    expect(output).not.toMatch(SQL);
    expect(output).not.toContain('root:');
  };

  /** Runs the SEN2 command and returns its exit code and everything it printed. */
  const sen2Cli = async (argv: string[]) => {
    const printed: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void printed.push(a.join(' ')));
    const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void printed.push(a.join(' ')));
    try {
      const code = await importSen2Cli(argv);
      return { code, output: printed.join('\n') };
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  };

  describe('SEN2 returns and case extracts (npm run import:sen2)', () => {
    it.each(SEN2_CORPUS.map((c) => [c.name, c] as const))('%s: refused, naming where and why; nothing written; nothing personal printed', async (name, c) => {
      const slug = name.replace(/\W+/g, '-');
      const argv = [file(`${slug}.xml`, c.file), ...(c.extract !== undefined ? ['--case-extract', file(`${slug}.csv`, c.extract)] : [])];
      const { code, output } = await sen2Cli(argv);
      expect(code).toBe(1);
      expect(output).toMatch(/REFUSED\. \d+ problem\(s\); nothing was imported\./);
      for (const says of c.says) expect(output).toMatch(says);
      expectNoLeak(output);
      expect(await count('casework', 'child')).toBe(0);
      expect(await count('casework', 'ehcna_request')).toBe(0);
      expect(await count('casework', 'audit_event')).toBe(0);
    });

    it('the same return, well-formed, imports (so the refusals above are the files\' doing); ISO-8859-1 is read as declared, not as U+FFFD', async () => {
      const latin1 = Buffer.from(VALID.replace('UTF-8', 'ISO-8859-1').replace(ZED.Surname, 'Zoë Ñúñez'), 'latin1');
      const { code, output } = await sen2Cli([file('latin1.xml', latin1), '--case-extract', file('good.csv', `${EXTRACT_HEADER}\n${extractRow()}\n`)]);
      expect(output).toContain('imported 2 of 2 people');
      expect(code).toBe(0);
      expect((await owner.casework.query('SELECT surname, district FROM child ORDER BY surname')).rows).toEqual([{ surname: 'Other', district: null }, { surname: 'Zoë Ñúñez', district: 'Ashfield' }]);
      await owner.casework.query('TRUNCATE child, ehcna_request, worker_allocation, caseworker, team CASCADE');
    });

    it('a database failure mid-import prints its SQLSTATE, never PostgreSQL\'s message, the SQL or the values; nothing is written', async () => {
      // A trigger that quotes the row, as a constraint message would.
      await owner.casework.query(`CREATE FUNCTION corpus_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused child % % born %', NEW.forename, NEW.surname, NEW.birth_date; END $$`);
      await owner.casework.query('CREATE TRIGGER corpus_refuse BEFORE INSERT ON child FOR EACH ROW EXECUTE FUNCTION corpus_refuse()');
      try {
        const before = await count('casework', 'audit_event');
        const { code, output } = await sen2Cli([file('db-failure.xml', VALID)]);
        expect(code).toBe(1);
        expect(output).toMatch(/failed; nothing was imported: the database refused the work \(SQLSTATE P0001\)/);
        expectNoLeak(output);
        expect(output).not.toContain('refused child');
        expect(await count('casework', 'child')).toBe(0);
        expect(await count('casework', 'audit_event')).toBe(before);
      } finally {
        await owner.casework.query('DROP TRIGGER corpus_refuse ON child; DROP FUNCTION corpus_refuse()');
      }
    });
  });

  describe('provider referrals and health advice (npm run import:referrals, import:health-advice)', () => {
    const HEADER = 'referral_id,nhs_number,service_code,pathway,urgency,received_date,first_contact_date,second_contact_date,discharge_date,discharge_reason';
    const row = (o: Partial<Record<'id' | 'service' | 'reason', string>> = {}) => `${o.id ?? 'P-1'},${NHS},${o.service ?? 'NN-CAMHS'},CAMHS,ROUTINE,2025-01-10,,,${o.reason ? '2025-02-01' : ''},${o.reason ?? ''}`;
    const io = (out: string[]) => ({
      today: '2026-11-22',
      out: (l: string) => out.push(l),
      err: (l: string) => out.push(l),
      open: async () => ({ orm: healthOrm, config: { linkKeySecret: TEST_LINK_KEY_SECRET }, close: async () => undefined }),
    });
    const CORPUS: Array<[string, string | Buffer, RegExp[]]> = [
      ['an empty file', '', [/the file is empty/]],
      ['a header only', `${HEADER}\n`, [/the file has a header but no rows/]],
      ['blank lines only', '\n\n', [/the file is empty/]],
      ['a NUL byte in an id', `${HEADER}\n${row({ id: 'P-\u00001' })}\n`, [/line 2, column referral_id, value "P-\\u00001": holds a control character \(U\+0000\)/]],
      ['a formula for a discharge reason', `${HEADER}\n${row({ reason: '"=HYPERLINK(""http://example.org"",""Open"")"' })}\n`, [/line 2, column discharge_reason, value \(withheld: personal data, \d+ characters\): starts with "="/]],
      ['a formula for a service code', `${HEADER}\n${row({ service: '@SUM(A1)' })}\n`, [/line 2, column service_code, value "@SUM\(A1\)": starts with "@"/]],
      ['a referral id that is a formula', `${HEADER}\n${row({ id: '-2+3' })}\n`, [/line 2, column referral_id, value "-2\+3": starts with "-"/]],
      ['a 300-character referral id', `${HEADER}\n${row({ id: 'R'.repeat(300) })}\n`, [/line 2, column referral_id, value \(300 characters, not shown\): at most 64 characters \(this one has 300\)/]],
      ['Latin-1 bytes', Buffer.from(`${HEADER}\n${row({ reason: 'Moved to Zürich' })}\n`, 'latin1'), [/line 2, column \(row\).*line 2 holds bytes that are not valid UTF-8/]],
      ['a truncated file (an unclosed quote)', `${HEADER}\n${row({ reason: '"Moved away' })}`, [/line \d+, column \(row\).*a quoted field is never closed/]],
      ['a stray quote', `${HEADER}\n${row({ reason: `Moved "away" ${NHS}` })}\n`, [/line 2, column \(row\).*a quote appears inside a field that is not quoted/]],
      ['a row of 70,000 characters', `${HEADER}\n${row({ reason: 'x'.repeat(70_000) })}\n`, [/line 2, column \(row\).*a row is longer than 65,536 characters/]],
    ];

    it.each(CORPUS)('referrals, %s: refused, naming line and column; nothing written; no NHS number printed', async (name, content, says) => {
      const out: string[] = [];
      const code = await importReferrals([file(`referrals-${name.replace(/\W+/g, '-')}.csv`, content)], io(out));
      const output = out.join('\n');
      expect(code).toBe(1);
      expect(output).toMatch(/Refused/);
      for (const s of says) expect(output).toMatch(s);
      expectNoLeak(output);
      expect(await count('health', 'referral')).toBe(0);
      expect(await count('health', 'audit_event')).toBe(0);
    });

    it('health advice: an empty file and a header only are refused; a formula id is refused', async () => {
      const header = 'assessment_id,nhs_number,asked_date,returned_date';
      for (const [content, says] of [['', /the file is empty/], [`${header}\n`, /header but no rows/], [`${header}\n=cmd|' /C calc'!A0,${NHS},2025-01-20,\n`, /line 2, column assessment_id, value .*: starts with "="/]] as const) {
        const out: string[] = [];
        expect(await importAdvice([file('advice.csv', content)], io(out))).toBe(1);
        expect(out.join('\n')).toMatch(says);
        expectNoLeak(out.join('\n'));
      }
      expect(await count('health', 'health_advice_request')).toBe(0);
    });

    it('a database failure prints its SQLSTATE, not PostgreSQL\'s message or the SQL', async () => {
      await owner.health.query(`CREATE FUNCTION corpus_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused %', NEW.source_id; END $$`);
      await owner.health.query('CREATE TRIGGER corpus_refuse BEFORE INSERT ON referral FOR EACH ROW EXECUTE FUNCTION corpus_refuse()');
      try {
        const out: string[] = [];
        expect(await importReferrals([file('referrals-db.csv', `${HEADER}\n${row({ id: 'SECRET-ID-1' })}\n`)], io(out))).toBe(1);
        const output = out.join('\n');
        expect(output).toMatch(/failed; nothing was imported: the database refused the work \(SQLSTATE P0001\)/);
        expect(output).not.toContain('SECRET-ID-1');
        expectNoLeak(output);
        expect(await count('health', 'referral')).toBe(0);
      } finally {
        await owner.health.query('DROP TRIGGER corpus_refuse ON referral; DROP FUNCTION corpus_refuse()');
      }
    });
  });

  describe('DfE published statistics (npm run import:dfe)', () => {
    const HEADER = 'time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,old_la_code,la_name,breakdown_topic,breakdown,plans_issued_den,plans_issued_den_ex,plans_issued_within_20_weeks,plans_issued_20_weeks_ex,pc_plans_issued_within_20_weeks,PC_plans_issued_20_weeks_ex';
    const row = (la = 'Nottinghamshire', den = '10') => `2024,Calendar year,Local authority,E92000001,England,E12000004,East Midlands,E10000024,891,${la},All EHC plans issued,All EHC plans issued,${den},10,5,5,50,50`;
    const io = (out: string[]) => ({ out: (l: string) => out.push(l), err: (l: string) => out.push(l), open: async () => ({ orm: governanceOrm, close: async () => undefined }) });
    const CORPUS: Array<[string, string | Buffer, number, RegExp]> = [
      ['an empty file', '', 2, /The file is empty/],
      ['a header only', `${HEADER}\n`, 2, /a header but no rows/],
      ['Latin-1 bytes', Buffer.from(`${HEADER}\n${row('Nottinghamshire Süd')}\n`, 'latin1'), 2, /line 2 holds bytes that are not valid UTF-8/],
      ['a formula for an LA name', `${HEADER}\n${row('"=HYPERLINK(""http://example.org"")"')}\n`, 1, /line 2, column la_name, value .*: starts with "="/],
      ['a NUL byte in an LA name', `${HEADER}\n${row('Notts\u0000')}\n`, 1, /line 2, column la_name, value "Notts\\u0000": holds a control character \(U\+0000\)/],
      // A negative number is a number, not a formula: refused by its own rule.
      ['a negative count', `${HEADER}\n${row('Nottinghamshire', '-10')}\n`, 1, /line 2, column plans_issued_den, value "-10": a count must be a whole number, zero or more/],
    ];

    it.each(CORPUS)('%s: refused, naming line and column; nothing written', async (name, content, exit, says) => {
      const out: string[] = [];
      expect(await importDfe([file(`timeliness-${name.replace(/\W+/g, '-')}.csv`, content)], io(out))).toBe(exit);
      expect(out.join('\n')).toMatch(says);
      expect(out.join('\n')).not.toMatch(SQL);
      expect(await count('governance', 'published_comparator')).toBe(0);
    });
  });
});
