/**
 * npm run import:sen2 -- <file.xml> [--case-extract <file.csv>] [--skip-invalid] [--user <name>]
 *
 * Exit codes: 0 imported; 1 refused (the report says why; nothing was written);
 * 2 usage (bad arguments, a file that cannot be read).
 */
import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { openCliDatabase, type CliDatabase } from '../../toolkit/cli';
import { casework } from '../index';
import { importSen2 } from './sen2-import';

export const USAGE = 'Usage: npm run import:sen2 -- <file.xml> [--case-extract <file.csv>] [--skip-invalid] [--user <name>]';

export interface CliArgs {
  file: string;
  caseExtract: string | null;
  skipInvalid: boolean;
  user: string | null;
}

/** Parses the arguments; a string is a usage error to print. */
export function parseArgs(argv: readonly string[]): CliArgs | string {
  const args: CliArgs = { file: '', caseExtract: null, skipInvalid: false, user: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--skip-invalid') args.skipInvalid = true;
    else if (a === '--case-extract' || a === '--user') {
      const value = argv[++i];
      if (!value || value.startsWith('--')) return `${a} needs a value.`;
      if (a === '--case-extract') args.caseExtract = value;
      else args.user = value;
    } else if (a === '--help' || a === '-h') return '';
    else if (a.startsWith('-')) return `Unknown option ${a}.`;
    else if (args.file) return `Only one SEN2 file at a time; got "${args.file}" and "${a}".`;
    else args.file = a;
  }
  if (!args.file) return 'Which SEN2 file? Give its path.';
  return args;
}

/** The command, in-process: returns the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (typeof parsed === 'string') {
    if (parsed) console.error(parsed);
    console.error(USAGE);
    return 2;
  }
  for (const path of [parsed.file, parsed.caseExtract].filter((p): p is string => !!p)) {
    if (!existsSync(path) || !statSync(path).isFile()) {
      console.error(`Cannot read ${path}: no such file.`);
      console.error(USAGE);
      return 2;
    }
  }
  const user = parsed.user ?? userInfo().username;
  let database: CliDatabase | null = null;
  try {
    const result = await importSen2({
      open: () => createReadStream(parsed.file, { encoding: 'utf8', highWaterMark: 256 * 1024 }),
      size: statSync(parsed.file).size,
      caseExtract: parsed.caseExtract ? readFileSync(parsed.caseExtract, 'utf8') : null,
      skipInvalid: parsed.skipInvalid,
      user,
      database: async () => {
        database = await openCliDatabase(casework);
        return { em: database.orm.em.fork() as EntityManager, linkKeySecret: database.config.linkKeySecret };
      },
      log: (line) => console.error(line),
    });
    const header = `SEN2 import of ${parsed.file}`;
    if (result.status === 'refused') {
      console.log(`${header}: REFUSED. ${result.problems.length} problem(s); nothing was imported.`);
      console.log('where\tpath\tvalue\trule');
      for (const line of result.report) console.log(line);
      return 1;
    }
    console.log(`${header}: imported ${result.persons - result.skipped} of ${result.persons} people (${result.created} children created, ${result.updated} updated) as ${user}.`);
    if (result.report.length) {
      const reportFile = `${parsed.file}.report.txt`;
      writeFileSync(reportFile, ['where\tpath\tvalue\trule', ...result.report, ''].join('\n'));
      console.log(`Skipped ${result.skipped} invalid people and ${result.problems.filter((p) => p.path.startsWith('case-extract/')).length} case-extract problem(s); the report is in ${reportFile}:`);
      console.log('where\tpath\tvalue\trule');
      for (const line of result.report) console.log(line);
    }
    return 0;
  } finally {
    await (database as CliDatabase | null)?.close();
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`SEN2 import failed, nothing was imported: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
