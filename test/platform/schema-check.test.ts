import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kind, parse, print, visit } from 'graphql';
import { checkSchemas, recorded, release, repositoryPaths, unreleasedSection } from '../../infra/schema-check';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'infra', 'schema-check.js');
const run = promisify(execFile);

/** Runs the built `npm run schema:check` on a repository; its exit code and output. */
async function schemaCheck(root: string): Promise<{ code: number; out: string }> {
  if (!existsSync(CLI)) throw new Error('dist/ is missing: `npm test` builds before running jest.');
  try {
    const { stdout } = await run(process.execPath, [CLI, '--root', root]);
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

/** A field of Query in an SDL file removed, or a new one added beside it. */
function editField(sdl: string, field: string, edit: 'remove' | 'add-beside'): string {
  return print(visit(parse(sdl), {
    ObjectTypeDefinition(node) {
      if (node.name.value !== 'Query') return undefined;
      const fields = node.fields ?? [];
      if (edit === 'remove') return { ...node, fields: fields.filter((f) => f.name.value !== field) };
      return { ...node, fields: [...fields, { ...fields.find((f) => f.name.value === field)!, name: { kind: Kind.NAME, value: `${field}Again` } }] };
    },
  }));
}

describe('npm run schema:check', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'schema-check-'));
    mkdirSync(join(scratch, 'schema'));
    cpSync(join(ROOT, 'schema', 'released'), join(scratch, 'schema', 'released'), { recursive: true });
    for (const f of ['api.graphql', 'partner.graphql']) cpSync(join(ROOT, 'schema', 'released', f), join(scratch, 'schema', f));
    cpSync(join(ROOT, 'CHANGELOG.md'), join(scratch, 'CHANGELOG.md'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  const edit = (field: string, how: 'remove' | 'add-beside') => {
    for (const f of ['api.graphql', 'partner.graphql']) {
      const path = join(scratch, 'schema', f);
      writeFileSync(path, editField(readFileSync(path, 'utf8'), field, how));
    }
  };

  it('passes on this repository: no breaking change since the last release that CHANGELOG.md does not record', async () => {
    const { code, out } = await schemaCheck(ROOT);
    expect({ code, out }).toEqual({ code: 0, out: expect.stringContaining('api.graphql') });
  });

  it('fails on a breaking change, naming its coordinate', async () => {
    edit('waitingList', 'remove');
    const { code, out } = await schemaCheck(scratch);
    expect(code).toBe(1);
    expect(out).toMatch(/api\.graphql: 1 breaking \(1 not in CHANGELOG\.md\)/);
    expect(out).toMatch(/partner\.graphql: 1 breaking \(1 not in CHANGELOG\.md\)/);
    expect(out).toContain('BREAKING, not recorded: Query.waitingList');
  });

  it('passes a safe change', async () => {
    edit('waitingList', 'add-beside');
    const { code, out } = await schemaCheck(scratch);
    expect(out).toMatch(/api\.graphql: 0 breaking \(0 not in CHANGELOG\.md\), 0 dangerous, [1-9]\d* safe/);
    expect(code).toBe(0);
  });

  it('passes a breaking change CHANGELOG.md records under Unreleased, and not one recorded under an earlier release', async () => {
    edit('waitingList', 'remove');
    const changelog = join(scratch, 'CHANGELOG.md');
    const original = readFileSync(changelog, 'utf8');
    writeFileSync(changelog, original.replace('## Unreleased\n', '## Unreleased\n\n### Breaking changes\n\n- `Query.waitingList`: removed; read `healthMeasures`.\n'));
    expect((await schemaCheck(scratch)).code).toBe(0);
    writeFileSync(changelog, original.replace('## Unreleased\n', '## Unreleased\n\n## 2026-01-01\n\n- `Query.waitingList`: removed.\n'));
    expect((await schemaCheck(scratch)).code).toBe(1);
  });

  it('releases: the current schemas become the released ones and the Unreleased section is dated', async () => {
    edit('waitingList', 'remove');
    const paths = repositoryPaths(scratch);
    release(paths, '2026-12-05');
    expect(readFileSync(join(scratch, 'schema', 'released', 'api.graphql'), 'utf8')).toBe(readFileSync(join(scratch, 'schema', 'api.graphql'), 'utf8'));
    const changelog = readFileSync(paths.changelog, 'utf8');
    expect(changelog).toMatch(/## Unreleased\n\n## 2026-12-05\n/);
    expect(unreleasedSection(changelog).trim()).toBe('');
    expect((await checkSchemas(paths)).every((r) => r.breaking.length === 0)).toBe(true);
  });

  it('reads the Unreleased section only, to the next release heading', () => {
    const text = '# Changelog\n\n## Unreleased\n\n### API conventions\n\n- `A.b` renamed\n\n## 2026-01-01\n\n- `C.d`\n';
    expect(recorded(unreleasedSection(text), 'A.b')).toBe(true);
    expect(recorded(unreleasedSection(text), 'C.d')).toBe(false);
    expect(recorded(unreleasedSection(text), 'A')).toBe(false);
  });
});
