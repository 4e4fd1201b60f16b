import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { defineCommand, loginName, readCommandLine } from '../../../platform/command-line';
import { failureMessage, IMPORT_OPTIONS, openCliDatabase, type CliDatabase } from '../../toolkit/cli';
import { importActor } from '../../toolkit/write';
import { governance } from '../index';
import { formatProblem, parseDfeFile } from './dfe';
import { writeComparators } from './write';

/**
 * 0 imported; 1 refused (invalid data: nothing written) or failed while writing
 * (nothing written; the database's own message, which can quote values, is not
 * printed); 2 usage, unreadable or unrecognised file, or no database.
 */
export const EXIT = { IMPORTED: 0, REFUSED: 1, USAGE: 2 } as const;

export const DFE_COMMAND = defineCommand({
  command: 'npm run import:dfe --',
  summary: 'Imports one of DfE\'s published EHC plan files (recognised by its columns) into the governance database as comparators: all or nothing, idempotent, audited.',
  file: { name: '<file.csv>', description: 'the DfE file, as downloaded', missing: 'Which file? Give the path of the DfE CSV.' },
  options: IMPORT_OPTIONS,
  notes: ['Exit codes: 0 imported; 1 refused (invalid data: nothing written) or failed while writing (nothing written; the database\'s own message, which can quote values, is not printed); 2 usage, an unreadable, empty or unrecognised file, or no database.'],
});

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  open: () => Promise<Pick<CliDatabase, 'orm' | 'close'>>;
}

/** `npm run import:dfe -- <file.csv>`: DfE's published EHC plan figures, all or nothing, idempotent. */
export async function main(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const out = io.out ?? ((l: string) => console.log(l));
  const err = io.err ?? ((l: string) => console.error(l));
  const args = readCommandLine(DFE_COMMAND, argv, { out, err });
  if (typeof args === 'number') return args;
  const { file } = args;
  const skipInvalid = args.options['skip-invalid'];
  const user = args.options.user ?? loginName();
  if (!existsSync(file) || !statSync(file).isFile()) { err(`No such file: ${file}`); return EXIT.USAGE; }

  const sourceFile = basename(file);
  const parsed = await parseDfeFile(createReadStream(file), sourceFile);
  if (typeof parsed === 'string') { err(`${sourceFile}: ${parsed}`); return EXIT.USAGE; }
  const codes = [...new Set(parsed.rows.map((r) => r.measureCode))].join(', ');
  out(`${sourceFile}: recognised as ${parsed.spec.name}; ${parsed.read} rows read, ${parsed.skipped} of other breakdowns skipped, ${parsed.rows.length} figures (${codes || 'none'}) from ${parsed.read - parsed.skipped - parsed.invalidLines.size} valid rows.`);
  if (parsed.problems.length) {
    err(`${parsed.problems.length} problem(s) in ${parsed.invalidLines.size} row(s):`);
    for (const p of parsed.problems) err(`  ${formatProblem(p)}`);
    if (!skipInvalid) { err('Nothing imported. Fix the file, or pass --skip-invalid to import the valid rows only.'); return EXIT.REFUSED; }
    err(`--skip-invalid: importing the valid rows; ${parsed.invalidLines.size} invalid row(s) left out.`);
  }

  let db: Pick<CliDatabase, 'orm' | 'close'>;
  try {
    db = await (io.open ?? (() => openCliDatabase(governance)))();
  } catch (e) {
    err(`${sourceFile}: nothing imported: ${failureMessage(e)}.`);
    return EXIT.USAGE;
  }
  try {
    const summary = await writeComparators(db.orm.em.fork() as EntityManager, importActor(user, 'LA', 'import:dfe'), parsed.rows, sourceFile);
    out(`Imported: ${summary.inserted} new, ${summary.updated} updated (re-importing the same file changes nothing).`);
    return EXIT.IMPORTED;
  } catch (e) {
    err(`Nothing imported: ${failureMessage(e)}.`);
    return EXIT.REFUSED;
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`import:dfe failed; nothing was imported: ${failureMessage(e)}.`);
      process.exit(EXIT.USAGE);
    },
  );
}
