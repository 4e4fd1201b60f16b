/**
 * What both health import commands share: arguments, streaming the CSV, the
 * report, the all-or-nothing transaction and the exit codes
 * (0 imported; 1 refused, or failed in the database, whose own message is never
 * printed: it can quote the file's values; 2 usage).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { defineCommand, loginName, readCommandLine } from '../../../platform/command-line';
import { failureMessage, IMPORT_OPTIONS } from '../../toolkit/cli';
import type { Orm } from '../../toolkit/database';
import { csvFailure, csvRecords, problemCount } from '../../toolkit/import-text';
import { importActor, write, type WriteEntry } from '../../toolkit/write';
import { checkHeader, formatProblems, type Problem } from './fields';

export const EXIT = { IMPORTED: 0, REFUSED: 1, USAGE: 2 } as const;

/** An import command's arguments: `npm run <command> -- <file.csv> [--skip-invalid] [--user <name>]`. */
export function importCommand(command: string, noun: string) {
  return defineCommand({
    command: `npm run ${command} --`,
    summary: `Imports ${noun} from a CSV file into the health database: all or nothing, idempotent, audited.`,
    file: { name: '<file.csv>', description: `the CSV of ${noun}, with its header row`, missing: `Which file? Give the path of the ${noun} CSV.` },
    options: IMPORT_OPTIONS,
    notes: ['Exit codes: 0 imported; 1 refused (nothing was written) or failed (a database failure: nothing was written, and its message, which can quote the file\'s values, is not printed); 2 usage (bad arguments, a file that cannot be read).'],
  });
}

/** What the runner needs of a database: the subgraph's ORM and the partnership secret. */
export interface ImportDatabase {
  orm: Orm;
  config: { linkKeySecret: string };
  close(): Promise<void>;
}

export interface Validator {
  problems: Problem[];
  records: unknown[];
  add(row: Record<string, string | undefined>, line: number): boolean;
}

/**
 * Names audit entries for rows an import writes in plain SQL (no change set sees
 * them); they are recorded under the importing user in the import's transaction.
 */
export type RecordWrites = (entries: readonly WriteEntry[]) => void;

export interface ImportSpec<V extends Validator> {
  command: string;
  /** What the file holds, for messages ("referrals"). */
  noun: string;
  columns: readonly string[];
  validator: (em: EntityManager, today: string) => Promise<V>;
  write: (tx: EntityManager, record: RecordWrites, validator: V, linkKeySecret: string, progress: (done: number) => void) => Promise<{ created: number; updated: number; unchanged: number; notes?: string[] }>;
}

export interface ImportIo {
  open: () => Promise<ImportDatabase>;
  out: (line: string) => void;
  err: (line: string) => void;
  today?: string;
}

const PROGRESS_EVERY = 10_000;

/**
 * Streams the file through the validator (strictly decoded as UTF-8, a row at
 * most CSV_RECORD_MAX characters); the header's problems stop reading at once.
 */
async function readFile(file: string, columns: readonly string[], validator: Validator, err: (line: string) => void): Promise<{ rows: number; header: boolean; headerProblems: Problem[] }> {
  let headerProblems: Problem[] = [];
  let header = false;
  const records = csvRecords<Record<string, string>>(createReadStream(file), {
    trim: true,
    skip_empty_lines: true,
    // A short row is reported column by column; a row longer than the header (an unquoted
    // comma, say) is refused, never read with its last fields dropped.
    relax_column_count_less: true,
    columns: (names: string[]) => {
      header = true;
      const normal = names.map((h) => h.trim().toLowerCase());
      headerProblems = checkHeader(normal, columns);
      return normal;
    },
  });
  let rows = 0;
  try {
    for await (const { record, line } of records) {
      if (headerProblems.length) break;
      rows++;
      validator.add(record, line);
      if (rows % PROGRESS_EVERY === 0) err(`read ${rows} rows...`);
    }
  } catch (e) {
    const { line, rule } = csvFailure(e);
    validator.problems.push({ line: line ?? rows + 2, column: '(row)', value: '', rule });
  }
  return { rows, header, headerProblems };
}

/** Runs an import; resolves with the exit code. */
export async function runImport<V extends Validator>(spec: ImportSpec<V>, argv: readonly string[], io: ImportIo): Promise<number> {
  const line = readCommandLine(importCommand(spec.command, spec.noun), argv, io);
  if (typeof line === 'number') return line;
  const args = { file: line.file, skipInvalid: line.options['skip-invalid'], user: line.options.user ?? loginName() };
  if (!existsSync(args.file) || !statSync(args.file).isFile()) {
    io.err(`No such file: ${args.file}`);
    return EXIT.USAGE;
  }
  const today = io.today ?? new Date().toISOString().slice(0, 10);
  let db: ImportDatabase | null = null;
  try {
    db = await io.open();
    const validator = await spec.validator(db.orm.em.fork() as EntityManager, today);
    const { rows, header, headerProblems } = await readFile(args.file, spec.columns, validator, io.err);
    if (headerProblems.length) {
      io.out(`Refused ${args.file}: the header is not that of a ${spec.noun} file.\n${formatProblems(headerProblems)}`);
      return EXIT.REFUSED;
    }
    const problems = validator.problems;
    const count = problemCount(problems);
    if (!header && !count) {
      io.out(`Refused ${args.file}: the file is empty; a ${spec.noun} file starts with the header ${spec.columns.join(',')}.`);
      return EXIT.REFUSED;
    }
    if (rows === 0 && !count) {
      io.out(`Refused ${args.file}: the file has a header but no rows; nothing to import.`);
      return EXIT.REFUSED;
    }
    if (count && !args.skipInvalid) {
      io.out(`Refused ${args.file}: ${count} problem(s) in ${rows} row(s); nothing was imported. Fix them, or import the valid rows with --skip-invalid.\n${formatProblems(problems, count)}`);
      return EXIT.REFUSED;
    }
    if (count) io.out(`Skipping ${rows - validator.records.length} invalid row(s) of ${rows}:\n${formatProblems(problems, count)}`);
    const total = validator.records.length;
    const linkKeySecret = db.config.linkKeySecret;
    // All or nothing, through the one write path, audited under the importing user as an ICB administrator.
    const summary = await write(db.orm.em.fork() as EntityManager, importActor(args.user, 'ICB', spec.command), (tx, record) =>
      spec.write(tx, record, validator, linkKeySecret, (done) => {
        if (total > PROGRESS_EVERY && (done % PROGRESS_EVERY < 500 || done === total)) io.err(`written ${done} of ${total}...`);
      }),
    );
    io.out(`Imported ${args.file} as ${args.user}: ${summary.created} ${spec.noun} created, ${summary.updated} updated, ${summary.unchanged} unchanged${count ? `, ${rows - total} row(s) skipped` : ''}.`);
    for (const note of summary.notes ?? []) io.out(note);
    return EXIT.IMPORTED;
  } catch (e) {
    io.err(`${spec.command} of ${args.file} failed; nothing was imported: ${failureMessage(e)}.`);
    return EXIT.REFUSED;
  } finally {
    await db?.close();
  }
}
