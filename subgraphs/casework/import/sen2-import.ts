/**
 * Imports a SEN2 return (and optionally the case-system extract) into the casework
 * database: validate everything first (streaming pass 1), then write everything in
 * ONE transaction (streaming pass 2). Any problem refuses the whole file unless
 * skipInvalid, which imports the valid people and reports the rest. Re-importing
 * the same or a later return updates records in place (matched on UPN, else ULN,
 * else surname + forename + birth date; requests on their received date).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { importActor } from '../../toolkit/write';
import { parseCaseExtract, type CaseExtractRow } from './case-extract';
import { formatProblem, matchKeyOf, validateHeader, validatePerson, type Problem } from './sen2-validate';
import { SEN2_CHUNK, Sen2Writer, type Sen2Item } from './sen2-write';
import { Sen2SyntaxError, streamSen2, type Sen2Header } from './sen2-xml';

export interface Sen2ImportOptions {
  /** Opens the return afresh for each pass (a file stream): the file is read twice, never held. */
  open: () => AsyncIterable<string | Buffer>;
  /** Size of the return in bytes, for progress. */
  size?: number;
  caseExtract?: string | null;
  skipInvalid?: boolean;
  /** Who is importing, for the audit trail. */
  user: string;
  today?: string;
  /** The database and the partnership's link-key secret, opened only once validation passes. */
  database: () => Promise<{ em: EntityManager; linkKeySecret: string }>;
  log?: (line: string) => void;
}

export interface Sen2ImportResult {
  status: 'imported' | 'refused';
  problems: Problem[];
  /** The report, one line per problem, ready to print. */
  report: string[];
  persons: number;
  skipped: number;
  created: number;
  updated: number;
}

const MB = 1024 * 1024;

/** Problems with the case extract have paths "case-extract/<column>" and the row as their position. */
function describe(problems: Problem[]): string[] {
  return problems.map((p) => formatProblem(p, p.path.startsWith('case-extract/') ? 'case-extract row' : 'person'));
}

/** Runs an import end to end; never throws for bad input (it reports), only for a database failure. */
export async function importSen2(options: Sen2ImportOptions): Promise<Sen2ImportResult> {
  const log = options.log ?? (() => undefined);
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const problems: Problem[] = [];
  const invalid = new Set<number>();
  const extract = options.caseExtract != null ? parseCaseExtract(options.caseExtract) : null;
  const extractProblems = (extract?.problems ?? []).map((p) => ({ ...p, path: `case-extract/${p.path}` }));

  // Pass 1: validate every person, keep nothing but problems and match keys.
  let header: Sen2Header = { collection: null, year: null, referenceDate: null, lea: null };
  const keys = new Map<string, number>();
  let lastReport = 0;
  let persons = 0;
  try {
    const result = await streamSen2(options.open(), {
      header: (h) => {
        header = h;
        problems.push(...validateHeader(h));
      },
      person: (node, position) => {
        const { person, problems: found } = validatePerson(node, position, today);
        if (found.length) invalid.add(position);
        problems.push(...found);
        if (person) {
          const key = matchKeyOf(person);
          if (keys.has(key)) {
            problems.push({ person: position, path: `Person[${position}]/${person.upn ? 'UPN' : person.uln ? 'UniqueLearnerNumber' : 'Surname'}`, value: person.upn ?? person.uln ?? person.surname, rule: `the same child as person ${keys.get(key)}` });
            invalid.add(position);
          } else keys.set(key, position);
        }
      },
      progress: (bytes) => {
        if (options.size && options.size > 5 * MB && bytes - lastReport >= 5 * MB) {
          lastReport = bytes;
          log(`SEN2: checked ${(bytes / MB).toFixed(1)} of ${(options.size / MB).toFixed(1)} MB (${Math.round((100 * bytes) / options.size)}%)`);
        }
      },
    });
    persons = result.persons;
  } catch (err) {
    if (!(err instanceof Sen2SyntaxError)) throw err;
    const p: Problem = { person: 0, path: `line ${err.line}, column ${err.column}`, value: null, rule: err.message };
    return { status: 'refused', problems: [p], report: describe([p]), persons: 0, skipped: 0, created: 0, updated: 0 };
  }
  if (persons === 0) problems.push({ person: 0, path: 'Message/Persons', value: null, rule: 'the return holds no <Person>' });
  const fileProblems = [...problems, ...extractProblems].filter((p) => p.person === 0);
  const all = [...problems, ...extractProblems];
  if (fileProblems.length || (all.length && !options.skipInvalid)) {
    return { status: 'refused', problems: all, report: describe(all), persons, skipped: invalid.size, created: 0, updated: 0 };
  }

  // Pass 2: write the valid people, and the case-extract rows, in one transaction.
  const { em, linkKeySecret } = await options.database();
  const counts = { created: 0, updated: 0 };
  const writeProblems: Problem[] = [];
  const actor = importActor(options.user, 'LA', 'import:sen2');
  const extractByKey = new Map<string, CaseExtractRow>();
  for (const row of extract?.rows ?? []) for (const key of keysOf(row)) if (!extractByKey.has(key)) extractByKey.set(key, row);
  const usedRows = new Set<CaseExtractRow>();
  const skippedRows = new Set((extract?.problems ?? []).map((p) => p.person));
  const allocationDate = today;
  class Rollback extends Error {}
  try {
    await em.transactional(async (tx) => {
      const writer = new Sen2Writer(tx as EntityManager, actor, linkKeySecret, allocationDate, counts, writeProblems);
      // People are written a chunk at a time, in file order (sen2-write/).
      const pending: Sen2Item[] = [];
      const flush = () => writer.write(pending.splice(0));
      lastReport = 0;
      await streamSen2(options.open(), {
        person: async (node, position) => {
          if (invalid.has(position)) return;
          const { person } = validatePerson(node, position, today);
          if (!person) return;
          const row = keysOf(person).map((k) => extractByKey.get(k)).find((r) => r && !usedRows.has(r)) ?? null;
          if (row) usedRows.add(row);
          pending.push({ person, extract: row });
          if (pending.length >= SEN2_CHUNK) await flush();
        },
        progress: (bytes) => {
          if (options.size && options.size > 5 * MB && bytes - lastReport >= 5 * MB) {
            lastReport = bytes;
            log(`SEN2: imported ${(bytes / MB).toFixed(1)} of ${(options.size / MB).toFixed(1)} MB (${Math.round((100 * bytes) / options.size)}%)`);
          }
        },
      });
      await flush();
      // Case-extract rows for children not in this return: they must match a child already held.
      for (const row of extract?.rows ?? []) {
        if (usedRows.has(row) || skippedRows.has(row.row)) continue;
        pending.push({ person: null, extract: row });
        if (pending.length >= SEN2_CHUNK) await flush();
      }
      await flush();
      if (writeProblems.length && !options.skipInvalid) throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
    const refused = [...all, ...writeProblems];
    return { status: 'refused', problems: refused, report: describe(refused), persons, skipped: invalid.size, created: 0, updated: 0 };
  }
  const reported = [...all, ...writeProblems];
  return { status: 'imported', problems: reported, report: describe(reported), persons, skipped: invalid.size, created: counts.created, updated: counts.updated };
}

/** The match keys of a person or an extract row, strongest first. */
function keysOf(p: { upn: string | null; uln: string | null; surname: string; forename: string; birthDate: string }): string[] {
  const keys: string[] = [];
  if (p.upn) keys.push(matchKeyOf({ ...p, uln: null }));
  if (p.uln) keys.push(matchKeyOf({ ...p, upn: null }));
  keys.push(matchKeyOf({ ...p, upn: null, uln: null }));
  return keys;
}
