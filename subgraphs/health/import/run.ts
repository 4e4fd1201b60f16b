/**
 * What both health import commands share: arguments, streaming the CSV, the
 * report, the all-or-nothing transaction and the exit codes
 * (0 imported, 1 refused, 2 usage).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { parse } from 'csv-parse';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { defineCommand, loginName, readCommandLine } from '../../../platform/command-line';
import { IMPORT_OPTIONS } from '../../toolkit/cli';
import type { Orm } from '../../toolkit/database';
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
    notes: ['Exit codes: 0 imported; 1 refused (nothing was written); 2 usage (bad arguments, a file that cannot be read).'],
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

/** Streams the file through the validator; the header's problems stop reading at once. */
async function readFile(file: string, columns: readonly string[], validator: Validator, err: (line: string) => void): Promise<{ rows: number; headerProblems: Problem[] }> {
  let headerProblems: Problem[] = [];
  const parser = createReadStream(file).pipe(
    parse({
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
      columns: (header: string[]) => {
        const names = header.map((h) => h.trim().toLowerCase());
        headerProblems = checkHeader(names, columns);
        return names;
      },
    }),
  );
  let rows = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      if (headerProblems.length) break;
      rows++;
      validator.add(record, info.lines);
      if (rows % PROGRESS_EVERY === 0) err(`read ${rows} rows...`);
    }
  } catch (e) {
    const m = /line (\d+)/i.exec((e as Error).message);
    validator.problems.push({ line: m ? Number(m[1]) : rows + 2, column: '(row)', value: '', rule: `not readable as CSV: ${(e as Error).message}` });
  }
  return { rows, headerProblems };
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
  const db = await io.open();
  try {
    const validator = await spec.validator(db.orm.em.fork() as EntityManager, today);
    const { rows, headerProblems } = await readFile(args.file, spec.columns, validator, io.err);
    if (headerProblems.length) {
      io.out(`Refused ${args.file}: the header is not that of a ${spec.noun} file.\n${formatProblems(headerProblems)}`);
      return EXIT.REFUSED;
    }
    const problems = validator.problems;
    if (problems.length && !args.skipInvalid) {
      io.out(`Refused ${args.file}: ${problems.length} problem(s) in ${rows} row(s); nothing was imported. Fix them, or import the valid rows with --skip-invalid.\n${formatProblems(problems)}`);
      return EXIT.REFUSED;
    }
    if (problems.length) io.out(`Skipping ${new Set(problems.map((p) => p.line)).size} invalid row(s) of ${rows}:\n${formatProblems(problems)}`);
    const total = validator.records.length;
    // All or nothing, through the one write path, audited under the importing user as an ICB administrator.
    const summary = await write(db.orm.em.fork() as EntityManager, importActor(args.user, 'ICB', spec.command), (tx, record) =>
      spec.write(tx, record, validator, db.config.linkKeySecret, (done) => {
        if (total > PROGRESS_EVERY && (done % PROGRESS_EVERY < 500 || done === total)) io.err(`written ${done} of ${total}...`);
      }),
    );
    io.out(`Imported ${args.file} as ${args.user}: ${summary.created} ${spec.noun} created, ${summary.updated} updated, ${summary.unchanged} unchanged${problems.length ? `, ${new Set(problems.map((p) => p.line)).size} row(s) skipped` : ''}.`);
    for (const note of summary.notes ?? []) io.out(note);
    return EXIT.IMPORTED;
  } finally {
    await db.close();
  }
}
