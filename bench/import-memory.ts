/**
 * Benchmark: the memory an import takes is bounded by a record, not by the file.
 *   npx tsc -p . ; node dist/bench/import-memory.js [extract rows]
 * Starts its own embedded PostgreSQL in a temp directory on a free port, migrates
 * an empty casework database, writes the files below into the temp directory and
 * runs `npm run import:sen2` on each as a child process (the command's own code,
 * reaching the database through DATABASE_URL as a person's run would), then
 * prints each run's result, time and peak resident memory (the child's maxRSS).
 *   - a return of 2,000 people with a case extract (imported: the baseline);
 *   - a return whose one surname is a 60 MB text node (refused, naming it);
 *   - a return with 60 MB of text in an element the import does not read;
 *   - a return of 100 people with a case extract of 1,000,000 rows (default)
 *     matching no child (refused once both passes have read it all).
 * Before the reader and the extract were bounded, the 60 MB text node took
 * 2.55 GB and a million-row extract 1.68 GB (issue 9).
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { chmodSync, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { casework } from '../subgraphs/casework/index';
import { runCli } from '../subgraphs/casework/import/cli';
import { startEmbeddedPostgres } from '../subgraphs/toolkit/database/embedded-postgres';
import { prepareDatabases } from '../subgraphs/toolkit/database/prepare';
import { freePort } from '../subgraphs/toolkit/ports';
import { runScript } from './script';

const MB = 1024 * 1024;
const HEADER = `<?xml version="1.0" encoding="UTF-8"?>
<Message><Header><CollectionDetails><Collection>SEN2</Collection><Year>2025</Year><ReferenceDate>2025-01-16</ReferenceDate></CollectionDetails><Source><SourceLevel>L</SourceLevel><LEA>891</LEA></Source></Header>
<Persons>
`;
const FOOTER = '</Persons></Message>\n';
const EXTRACT_HEADER = 'upn,uln,surname,forename,birth_date,nhs_number,district,team,allocated_worker,no_worker_reason,no_worker_review_date\n';

const personXml = (i: number, surname = `Surname${i}`, extra = '') =>
  `<Person><Surname>${surname}</Surname><Forename>Kid${i}</Forename><PersonBirthDate>2012-03-04</PersonBirthDate><Sex>${i % 2 ? 'M' : 'F'}</Sex><UPN>K${String(i).padStart(12, '0')}</UPN>
<Requests><ReceivedDate>2023-01-02</ReceivedDate><RequestOutcomeDate>2023-02-10</RequestOutcomeDate><RequestOutcome>Y</RequestOutcome>${extra}</Requests></Person>\n`;

/** Writes a file a piece at a time, so the benchmark itself never holds it. */
async function writeFile(path: string, pieces: Iterable<string>): Promise<number> {
  const out = createWriteStream(path);
  for (const piece of pieces) if (!out.write(piece)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  return statSync(path).size;
}

function* repeat(text: string, bytes: number): Iterable<string> {
  const block = text.repeat(Math.ceil(MB / text.length));
  for (let written = 0; written < bytes; written += block.length) yield block;
}

interface Case {
  name: string;
  files: () => Promise<{ xml: string; extract?: string; bytes: number }>;
}

/** Runs the command in a child process; the child reports its own exit code and maxRSS. */
async function runChild(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; maxRssMb: number; first: string; seconds: number }> {
  const t = performance.now();
  const child = spawn(process.execPath, [__filename, '--child', ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  await once(child, 'exit');
  const last = stdout.trim().split('\n').pop() ?? '';
  const summary = JSON.parse(last) as { code: number; maxRssKb: number; first: string };
  return { code: summary.code, maxRssMb: summary.maxRssKb / 1024, first: summary.first, seconds: (performance.now() - t) / 1000 };
}

/** In the child: the command itself, its report counted rather than printed. */
async function child(args: string[]): Promise<void> {
  const printed: string[] = [];
  console.log = (...a: unknown[]) => void printed.push(a.join(' '));
  console.error = () => undefined;
  const code = await runCli(args);
  const first = printed.find((l) => /^(person \d|file\t|case-extract row \d)/.test(l)) ?? printed[0] ?? '';
  process.stdout.write(`\n${JSON.stringify({ code, maxRssKb: process.resourceUsage().maxRSS, first: first.slice(0, 160) })}\n`);
  process.exit(0);
}

async function main(): Promise<void> {
  const extractRows = Number(process.argv[2] ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'import-memory-'));
  // PostgreSQL refuses to run as root, so it runs as its own user, who must reach the directory.
  chmodSync(dir, 0o755);
  const postgres = await startEmbeddedPostgres({ dir: join(dir, 'pg'), port: await freePort(), password: 'bench-only' });
  try {
    const prefix = 'bench';
    await prepareDatabases({ adminUrl: postgres.adminUrl, prefix, subgraphs: [casework], seed: null, log: () => undefined });
    const env = { ...process.env, DATABASE_URL: postgres.adminUrl, DB_PREFIX: prefix, DATA_DIR: dir, LINK_KEY_SECRET: 'bench-secret' };
    const cases: Case[] = [
      {
        name: 'SEN2, 2,000 people, 500-row case extract',
        files: async () => {
          const xml = join(dir, 'baseline.xml');
          const extract = join(dir, 'baseline.csv');
          const bytes = await writeFile(xml, [HEADER, ...Array.from({ length: 2000 }, (_, i) => personXml(i)), FOOTER]);
          await writeFile(extract, [EXTRACT_HEADER, ...Array.from({ length: 500 }, (_, i) => `K${String(i * 4).padStart(12, '0')},,Surname${i * 4},Kid${i * 4},2012-03-04,,Ashfield,Team ${i % 3},Worker ${i % 40},,\n`)]);
          return { xml, extract, bytes };
        },
      },
      {
        name: 'SEN2, one surname a 60 MB text node',
        files: async () => {
          const xml = join(dir, 'long-surname.xml');
          const bytes = await writeFile(xml, [HEADER, personXml(1), `<Person><Surname>`, ...repeat('Zyxwvut ', 60 * MB), `</Surname><Forename>Quorra</Forename><PersonBirthDate>2011-09-17</PersonBirthDate><Sex>F</Sex><Requests><ReceivedDate>2023-01-02</ReceivedDate><RequestOutcome>A</RequestOutcome></Requests></Person>\n`, FOOTER]);
          return { xml, bytes };
        },
      },
      {
        name: 'SEN2, 60 MB in an element not imported',
        files: async () => {
          const xml = join(dir, 'long-unread.xml');
          const [open, close] = personXml(1, 'Able', '<Exported>\u0000').split('\u0000');
          const bytes = await writeFile(xml, [HEADER, open, ...repeat('891 ', 60 * MB), `</Exported>${close}`, FOOTER]);
          return { xml, bytes };
        },
      },
      {
        name: `SEN2, 100 people, ${extractRows.toLocaleString('en-GB')}-row case extract matching no child`,
        files: async () => {
          const xml = join(dir, 'small.xml');
          const extract = join(dir, 'million.csv');
          await writeFile(xml, [HEADER, ...Array.from({ length: 100 }, (_, i) => personXml(i)), FOOTER]);
          function* rows(): Iterable<string> {
            yield EXTRACT_HEADER;
            for (let i = 0; i < extractRows; i += 1000) {
              let block = '';
              for (let k = i; k < Math.min(i + 1000, extractRows); k++) block += `,,Elsewhere${k},Child${k},2010-0${1 + (k % 9)}-1${k % 10},,District ${k % 7},,,,\n`;
              yield block;
            }
          }
          const bytes = await writeFile(extract, rows());
          return { xml, extract, bytes };
        },
      },
    ];
    console.log('Import memory: each file through `npm run import:sen2` in a child process; peak RSS is the child\'s maxRSS.');
    console.log(`${'case'.padEnd(62)} ${'file'.padStart(9)}  ${'exit'.padStart(4)}  ${'time'.padStart(7)}  ${'peak RSS'.padStart(9)}  first report line`);
    for (const c of cases) {
      const { xml, extract, bytes } = await c.files();
      const r = await runChild([xml, ...(extract ? ['--case-extract', extract] : [])], env);
      console.log(`${c.name.padEnd(62)} ${`${(bytes / MB).toFixed(1)} MB`.padStart(9)}  ${String(r.code).padStart(4)}  ${`${r.seconds.toFixed(1)} s`.padStart(7)}  ${`${r.maxRssMb.toFixed(0)} MB`.padStart(9)}  ${r.first.replace(/\t/g, ' | ')}`);
      rmSync(xml, { force: true });
      if (extract) rmSync(extract, { force: true });
    }
  } finally {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) runScript(() => (process.argv[2] === '--child' ? child(process.argv.slice(3)) : main()));
