import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/postgresql';
import { defineCommand, loginName, readCommandLine } from '../../../platform/command-line';
import { failureMessage, IMPORT_OPTIONS, openCliDatabase, type CliDatabase } from '../../toolkit/cli';
import { importActor } from '../../toolkit/write';
import { governance } from '../index';
import { readRelease } from './release';
import { writeRelease } from './write';

/**
 * 0 imported; 1 refused (invalid data, or an earlier release than the one there:
 * nothing written) or failed while writing (nothing written; the database's own
 * message, which can quote values, is not printed); 2 usage, an unreadable or
 * unrecognised file, files of different releases, or no database.
 */
export const EXIT = { IMPORTED: 0, REFUSED: 1, USAGE: 2 } as const;

export const DFE_COMMAND = defineCommand({
  command: 'npm run import:dfe --',
  summary: 'Imports a release of DfE\'s "Education, health and care plans" statistics (a folder, or its files, each recognised by its columns) into the governance database: all or nothing, idempotent, audited; a later release replaces an earlier one.',
  file: { name: '<file.csv> ...', description: 'any of the release\'s eight files, or the release folder as downloaded (its .csv files); several may be given', missing: 'Which release? Give the folder of DfE\'s CSV files, or the files.', many: true },
  options: {
    ...IMPORT_OPTIONS,
    release: { type: 'string', value: '<year>', description: 'the release the files are (e.g. 2025); worked out from the figures when left out, and checked against them when given' },
  },
  notes: [
    'The eight files: timeliness_20_week.csv, requests.csv, caseload.csv, annual_reviews.csv, newplans.csv, sen_needs_all_plans.csv, assessments.csv, ceased_plans.csv; a folder\'s other files are left out and named.',
    'Exit codes: 0 imported; 1 refused (invalid data, or a release earlier than the one imported: nothing written) or failed while writing (nothing written); 2 usage, an unreadable, empty or unrecognised file, two copies of one file, files of different releases, or no database.',
  ],
});

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  open: () => Promise<Pick<CliDatabase, 'orm' | 'close'>>;
}

/** `npm run import:dfe -- <folder | file.csv ...>`: one release of DfE's published figures, all or nothing, idempotent. */
export async function main(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const out = io.out ?? ((l: string) => console.log(l));
  const err = io.err ?? ((l: string) => console.error(l));
  const args = readCommandLine(DFE_COMMAND, argv, { out, err });
  if (typeof args === 'number') return args;
  const skipInvalid = args.options['skip-invalid'];
  const user = args.options.user ?? loginName();
  const given = args.options.release;
  if (given !== undefined && !/^20\d\d$/.test(given)) { err(`--release must be a year such as 2025; got "${given}".`); return EXIT.USAGE; }

  const read = await readRelease(args.files ?? [args.file], given === undefined ? null : Number(given));
  for (const f of read.files) {
    const p = f.parsed;
    const codes = [...new Set(p.rows.map((r) => r.measureCode))];
    out(`${f.sourceFile}: recognised as ${p.spec.name}; ${p.read} rows read, ${p.skipped} of other breakdowns skipped, ${p.rows.length} figures (${codes.length} measure codes) from ${p.read - p.skipped - p.invalidLines.size} valid rows${p.absent.length ? `; not in this file's columns: ${p.absent.join(', ')}` : ''}.`);
  }
  for (const n of read.notes) out(n);
  if (read.refusals.length) {
    for (const r of read.refusals) err(r);
    err('Nothing imported.');
    return EXIT.USAGE;
  }
  if (read.problems.length) {
    const invalid = read.files.reduce((n, f) => n + f.parsed.invalidLines.size, 0);
    err(`${read.problems.length} problem(s) in ${invalid} row(s):`);
    for (const p of read.problems) err(`  ${p}`);
    if (!skipInvalid) { err('Nothing imported. Fix the files, or pass --skip-invalid to import the valid rows only.'); return EXIT.REFUSED; }
    err(`--skip-invalid: importing the valid rows; ${invalid} invalid row(s) left out.`);
  }
  if (read.release === null) { err('No figure in the files says which release they are: give --release.'); return EXIT.USAGE; }

  let db: Pick<CliDatabase, 'orm' | 'close'>;
  try {
    db = await (io.open ?? (() => openCliDatabase(governance)))();
  } catch (e) {
    err(`Nothing imported: ${failureMessage(e)}.`);
    return EXIT.USAGE;
  }
  try {
    const summary = await writeRelease(db.orm.em.fork() as EntityManager, importActor(user, 'LA', 'import:dfe'), read.release, read.rows, read.files.map((f) => f.sourceFile));
    out(`Imported release ${read.release}: ${summary.inserted} new, ${summary.updated} updated, ${summary.removed} removed (re-importing the same release changes nothing).`);
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
