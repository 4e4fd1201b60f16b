import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSchema } from 'graphql';
import { defineCommand, readCommandLine } from '../platform/command-line';

/**
 * The schemas clients build on, compared release to release: the whole API and
 * the partner contract. `schema/released/` holds the last released versions.
 */
export const PUBLISHED_SCHEMAS = ['api.graphql', 'partner.graphql'] as const;

export const SCHEMA_CHECK_COMMAND = defineCommand({
  command: 'npm run schema:check --',
  summary:
    'Compares schema/api.graphql and schema/partner.graphql with the last released versions in schema/released/ and fails on a breaking change that CHANGELOG.md does not record: a line of its "## Unreleased" section naming the schema coordinate in backticks, e.g. `Query.children` or `Kpi.reading.asOf`. With --release, makes the current schemas the released ones and dates the Unreleased section.',
  options: {
    release: { type: 'boolean', description: 'release: copy the current schemas to schema/released/ and turn "## Unreleased" into a dated heading' },
    root: { type: 'string', value: '<dir>', description: 'the repository whose schema/ and CHANGELOG.md to use (this one when left out)' },
  },
  notes: ['Exit codes: 0 no unrecorded breaking change (or released); 1 an unrecorded breaking change; 2 usage.'],
});

export interface SchemaPaths {
  /** Where api.graphql and partner.graphql are. */
  schemaDir: string;
  /** Where the released copies are (schema/released). */
  releasedDir: string;
  changelog: string;
}

/** A repository's schema/, schema/released/ and CHANGELOG.md. */
export function repositoryPaths(root: string): SchemaPaths {
  return { schemaDir: join(root, 'schema'), releasedDir: join(root, 'schema', 'released'), changelog: join(root, 'CHANGELOG.md') };
}

/** The text of the changelog's "## Unreleased" section, up to the next second-level heading. */
export function unreleasedSection(changelog: string): string {
  const m = /^## Unreleased[^\n]*\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(changelog);
  return m ? m[1] : '';
}

/** Whether the Unreleased section names the coordinate in backticks. */
export function recorded(section: string, coordinate: string): boolean {
  return section.includes(`\`${coordinate}\``);
}

export interface SchemaReport {
  file: string;
  /** True when nothing has been released yet: nothing to compare with. */
  unreleased: boolean;
  breaking: Change[];
  /** Breaking changes the changelog does not record: these fail the check. */
  unrecorded: Change[];
  dangerous: Change[];
  safe: Change[];
}

/** Every published schema against its released version. */
export async function checkSchemas(paths: SchemaPaths): Promise<SchemaReport[]> {
  const section = existsSync(paths.changelog) ? unreleasedSection(readFileSync(paths.changelog, 'utf8')) : '';
  const reports: SchemaReport[] = [];
  for (const file of PUBLISHED_SCHEMAS) {
    const released = join(paths.releasedDir, file);
    if (!existsSync(released)) {
      reports.push({ file, unreleased: true, breaking: [], unrecorded: [], dangerous: [], safe: [] });
      continue;
    }
    const changes = await diff(buildSchema(readFileSync(released, 'utf8')), buildSchema(readFileSync(join(paths.schemaDir, file), 'utf8')));
    const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking);
    reports.push({
      file,
      unreleased: false,
      breaking,
      unrecorded: breaking.filter((c) => !c.path || !recorded(section, c.path)),
      dangerous: changes.filter((c) => c.criticality.level === CriticalityLevel.Dangerous),
      safe: changes.filter((c) => c.criticality.level === CriticalityLevel.NonBreaking),
    });
  }
  return reports;
}

/** The check's report, as the command prints it. */
export function describeReports(reports: SchemaReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    if (r.unreleased) {
      lines.push(`${r.file}: nothing released yet (schema/released/${r.file}); run npm run schema:release to publish the first version.`);
      continue;
    }
    lines.push(`${r.file}: ${r.breaking.length} breaking (${r.unrecorded.length} not in CHANGELOG.md), ${r.dangerous.length} dangerous, ${r.safe.length} safe change(s).`);
    for (const c of r.unrecorded) lines.push(`  BREAKING, not recorded: ${c.path ?? '(no coordinate)'}: ${c.message}`);
    for (const c of r.breaking.filter((b) => !r.unrecorded.includes(b))) lines.push(`  breaking, recorded: ${c.path}: ${c.message}`);
    for (const c of r.dangerous) lines.push(`  dangerous: ${c.path ?? ''}: ${c.message}`);
  }
  if (reports.some((r) => r.unrecorded.length)) {
    lines.push(
      '',
      'A breaking change needs a line in CHANGELOG.md\'s "## Unreleased" section naming its coordinate in backticks, saying what clients must do.',
      'To remove a field, argument or enum value, deprecate it first (@deprecated(reason: "Use … instead.")) and remove it in a later release.',
    );
  }
  return lines.join('\n');
}

/** Makes the current schemas the released ones, and dates the changelog's Unreleased section. */
export function release(paths: SchemaPaths, date: string): void {
  mkdirSync(paths.releasedDir, { recursive: true });
  for (const file of PUBLISHED_SCHEMAS) copyFileSync(join(paths.schemaDir, file), join(paths.releasedDir, file));
  if (existsSync(paths.changelog)) {
    const text = readFileSync(paths.changelog, 'utf8');
    writeFileSync(paths.changelog, text.replace(/^## Unreleased[^\n]*$/m, `## Unreleased\n\n## ${date}`));
  }
}

async function main(): Promise<void> {
  const args = readCommandLine(SCHEMA_CHECK_COMMAND, process.argv.slice(2), { out: (t) => console.log(t), err: (t) => console.error(t) });
  if (typeof args === 'number') process.exit(args);
  const paths = repositoryPaths(resolve(args.options.root ?? join(__dirname, '..', '..')));
  if (args.options.release) {
    release(paths, new Date().toISOString().slice(0, 10));
    console.log(`Released ${PUBLISHED_SCHEMAS.join(' and ')} into schema/released/; CHANGELOG.md's Unreleased section is dated.`);
    return;
  }
  const reports = await checkSchemas(paths);
  console.log(describeReports(reports));
  if (reports.some((r) => r.unrecorded.length)) process.exit(1);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error((err as Error).message);
    process.exit(1);
  });
}
