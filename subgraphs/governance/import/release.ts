import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { FILE_SPECS, releaseOf } from './dfe-files';
import { formatProblem, parseDfeFile, type ComparatorRow, type ParsedFile } from './dfe';

/** Files of DfE's release that are not among the eight imported: named, left out of a folder, refused in a list. */
export const NOT_IMPORTED = ['sen_need_newplans.csv', 'personal_budgets.csv', 'residential_settings.csv', 'work_based_placements.csv'];

export interface ReadFile {
  sourceFile: string;
  parsed: ParsedFile;
  release: number | null;
}

export interface ReadRelease {
  files: ReadFile[];
  /** The release every file belongs to (null when they disagree or none has a figure). */
  release: number | null;
  /** Valid rows of every file. */
  rows: ComparatorRow[];
  /** Every problem, each naming its file: data problems (exit 1 unless skipped) and the rest. */
  problems: string[];
  /** Problems that make the set unusable whatever --skip-invalid says: unreadable or unrecognised files, two copies of a file, releases that disagree. */
  refusals: string[];
  /** Lines for the person at the terminal: files left out of a folder, files absent from the set. */
  notes: string[];
}

/** The files a list of paths names: a folder gives its .csv files (other files, such as DfE's data guidance, are not data). */
function expand(paths: readonly string[], refusals: string[], notes: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (!existsSync(p)) { refusals.push(`No such file or folder: ${p}`); continue; }
    if (statSync(p).isDirectory()) {
      for (const f of readdirSync(p).filter((n) => n.toLowerCase().endsWith('.csv')).sort()) {
        if (NOT_IMPORTED.includes(f)) notes.push(`${f}: left out (not one of the eight files imported).`);
        else out.push(join(p, f));
      }
    } else if (NOT_IMPORTED.includes(basename(p))) refusals.push(`${basename(p)}: not one of the eight files imported (${FILE_SPECS.map((s) => s.name).join(', ')}).`);
    else out.push(p);
  }
  return out;
}

/**
 * Reads a release given as a folder or a list of files: every file parsed and
 * validated, every problem named with its file, and the release worked out from
 * the figures (checked against `expected` when given). Touches no database.
 */
export async function readRelease(paths: readonly string[], expected: number | null = null): Promise<ReadRelease> {
  const refusals: string[] = [];
  const notes: string[] = [];
  const problems: string[] = [];
  const files: ReadFile[] = [];
  for (const path of expand(paths, refusals, notes)) {
    const sourceFile = basename(path);
    const parsed = await parseDfeFile(createReadStream(path), sourceFile);
    if (typeof parsed === 'string') { refusals.push(`${sourceFile}: ${parsed}`); continue; }
    const twin = files.find((f) => f.parsed.spec.name === parsed.spec.name);
    if (twin) { refusals.push(`${sourceFile}: a second ${parsed.spec.name} (${twin.sourceFile} is one already); give one file of each kind.`); continue; }
    for (const p of parsed.problems) problems.push(`${sourceFile}: ${formatProblem(p)}`);
    const latest = parsed.rows.reduce((m, r) => Math.max(m, r.year), 0);
    files.push({ sourceFile, parsed, release: latest ? releaseOf(parsed.spec, latest) : null });
  }
  const releases = [...new Set(files.map((f) => f.release).filter((r): r is number => r !== null))];
  let release = releases.length === 1 ? releases[0] : null;
  if (releases.length > 1) refusals.push(`The files are of different releases (${files.map((f) => `${f.sourceFile}: ${f.release ?? 'none'}`).join(', ')}); import one release at a time.`);
  if (expected !== null && release !== null && release !== expected) refusals.push(`--release ${expected} was given, but the files are of release ${release}.`);
  if (expected !== null && releases.length === 0) release = expected;
  if (files.length && !refusals.length) {
    const missing = FILE_SPECS.filter((s) => !files.some((f) => f.parsed.spec.name === s.name)).map((s) => s.name);
    if (missing.length) notes.push(`Not in this set, so left as they are: ${missing.join(', ')}.`);
  }
  if (!files.length && !refusals.length) refusals.push('No DfE data file given: name a release folder or its .csv files.');
  return { files, release, rows: files.flatMap((f) => f.parsed.rows), problems, refusals, notes };
}
