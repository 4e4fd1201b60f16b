/** `npm run import:sen2`: its arguments and exit codes are SEN2_COMMAND's (`--help` prints them). */
import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createReadStream, existsSync, statSync, writeFileSync } from 'node:fs';
import { defineCommand, loginName, readCommandLine, usageLine } from '../../../platform/command-line';
import { failureMessage, IMPORT_OPTIONS, openCliDatabase, type CliDatabase } from '../../toolkit/cli';
import { casework } from '../index';
import { importSen2 } from './sen2-import';

export const SEN2_COMMAND = defineCommand({
  command: 'npm run import:sen2 --',
  summary: 'Imports a SEN2 return (and the case system\'s extract) into the casework database: all or nothing, idempotent, audited.',
  file: { name: '<file.xml>', description: 'the SEN2 XML return', missing: 'Which SEN2 file? Give its path.' },
  options: {
    'case-extract': { type: 'string', value: '<file.csv>', description: 'the case-system extract: NHS number, district, team and allocated worker, which SEN2 lacks' },
    ...IMPORT_OPTIONS,
  },
  notes: ['Exit codes: 0 imported; 1 refused (the report says why; nothing was written) or failed (a database failure: nothing was written, and its message, which can quote the file\'s values, is not printed); 2 usage (bad arguments, a file that cannot be read).'],
});

/** The command, in-process: returns the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const args = readCommandLine(SEN2_COMMAND, argv, { out: (text) => console.log(text), err: (text) => console.error(text) });
  if (typeof args === 'number') return args;
  const parsed = { file: args.file, caseExtract: args.options['case-extract'] ?? null, skipInvalid: args.options['skip-invalid'] };
  for (const path of [parsed.file, parsed.caseExtract].filter((p): p is string => !!p)) {
    if (!existsSync(path) || !statSync(path).isFile()) {
      console.error(`Cannot read ${path}: no such file.`);
      console.error(usageLine(SEN2_COMMAND));
      return 2;
    }
  }
  const user = args.options.user ?? loginName();
  const extractFile = parsed.caseExtract;
  let database: CliDatabase | null = null;
  try {
    const result = await importSen2({
      // Bytes, not text: the reader decodes them in the encoding the file declares.
      open: () => createReadStream(parsed.file, { highWaterMark: 256 * 1024 }),
      size: statSync(parsed.file).size,
      caseExtract: extractFile ? () => createReadStream(extractFile, { highWaterMark: 256 * 1024 }) : null,
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
      console.log(`${header}: REFUSED. ${result.problemTotal} problem(s); nothing was imported.`);
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
  } catch (err) {
    console.error(`SEN2 import of ${parsed.file} failed; nothing was imported: ${failureMessage(err)}.`);
    return 1;
  } finally {
    await (database as CliDatabase | null)?.close();
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`SEN2 import failed, nothing was imported: ${failureMessage(err)}.`);
      process.exit(1);
    },
  );
}
