import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import { openCliDatabase, type CliDatabase } from '../../toolkit/cli';
import { Loaders, type SubgraphContext } from '../../toolkit/context';
import { governance } from '../index';
import { formatProblem, parseDfeFile } from './dfe';
import { writeComparators } from './write';

/** 0 imported; 1 refused (invalid data: nothing written); 2 usage, unreadable or unrecognised file, or no database. */
export const EXIT = { IMPORTED: 0, REFUSED: 1, USAGE: 2 } as const;

const USAGE = 'Usage: npm run import:dfe -- <file.csv> [--skip-invalid] [--user <name>]';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  open: () => Promise<Pick<CliDatabase, 'orm' | 'close'>>;
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER || 'unknown';
  }
}

/** `npm run import:dfe -- <file.csv>`: DfE's published EHC plan figures, all or nothing, idempotent. */
export async function main(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const out = io.out ?? ((l: string) => console.log(l));
  const err = io.err ?? ((l: string) => console.error(l));
  let file: string | null = null;
  let skipInvalid = false;
  let user = currentUser();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--skip-invalid') skipInvalid = true;
    else if (a === '--user') user = argv[++i] ?? '';
    else if (a.startsWith('-')) { err(`Unknown option ${a}.\n${USAGE}`); return EXIT.USAGE; }
    else if (file) { err(`Only one file at a time.\n${USAGE}`); return EXIT.USAGE; }
    else file = a;
  }
  if (!file || !user) { err(USAGE); return EXIT.USAGE; }
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
    err((e as Error).message);
    return EXIT.USAGE;
  }
  try {
    const em = db.orm.em.fork() as EntityManager;
    const context: SubgraphContext = { em, caller: { userId: user, roles: ['admin'], org: 'LA' }, loaders: new Loaders(), operationName: 'import:dfe', requestId: randomUUID() };
    const summary = await writeComparators(em, context, parsed.rows, sourceFile);
    out(`Imported: ${summary.inserted} new, ${summary.updated} updated (re-importing the same file changes nothing).`);
    return EXIT.IMPORTED;
  } catch (e) {
    err(`Nothing imported: ${(e as Error).message}`);
    return EXIT.REFUSED;
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`import:dfe failed: ${(e as Error).message}`);
      process.exit(EXIT.USAGE);
    },
  );
}
