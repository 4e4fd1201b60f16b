import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/**
 * The import graph runs one way:
 *   platform/ ← subgraphs/toolkit/ ← subgraphs/<name>/
 *   platform/ ← gateway/
 *   platform/ ← web/ (a client of the gateway's public API, like any partner app)
 * and infra/ (the start command, composition, the development issuer) and the
 * tests sit on top, imported by nothing but tests and jest-run benchmarks.
 * Drawn here from the source itself, so an arrow running back up fails.
 */

const ROOT = join(__dirname, '..', '..');
const SOURCE_DIRS = ['platform', 'gateway', 'web', 'subgraphs', 'infra', 'bench', 'test'];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** Relative imports of a file (static, dynamic, re-exports), as repository paths without extension. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const found: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;
  for (const m of text.matchAll(pattern)) {
    const target = normalize(join(dirname(file), m[1]));
    let resolved = target.replace(/\.(js|ts)$/, '');
    try {
      if (statSync(join(ROOT, resolved)).isDirectory()) resolved = join(resolved, 'index');
    } catch {
      // a file, not a folder
    }
    found.push(resolved);
  }
  return found;
}

/** The layer a file belongs to: platform, toolkit, a subgraph's name, gateway, web, infra, bench or test. */
function layerOf(path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'subgraphs') return parts[1] === 'toolkit' ? 'toolkit' : `subgraph:${parts[1]}`;
  if (parts[0] === 'bench' && /\.bench$/.test(path)) return 'test';
  return parts[0];
}

/** What each layer may import, besides itself. */
function allowed(from: string, to: string): boolean {
  if (from === to) return true;
  switch (from) {
    case 'platform':
      return false;
    case 'toolkit':
      return to === 'platform';
    case 'gateway':
    case 'web':
      return to === 'platform';
    case 'bench':
      return to === 'platform' || to === 'toolkit' || to.startsWith('subgraph:');
    case 'infra':
      return to !== 'test' && to !== 'bench';
    case 'test':
      return true;
    default: // a subgraph: the toolkit and platform, never infra or a sibling
      return to === 'platform' || to === 'toolkit';
  }
}

const files = SOURCE_DIRS.flatMap(sourceFiles);
const edges = files.flatMap((file) => importsOf(file).map((target) => ({ from: file.replace(/\.ts$/, ''), to: target })));

describe('the import graph', () => {
  it('reads every source folder', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.length).toBeGreaterThan(300);
    for (const layer of ['platform', 'toolkit', 'gateway', 'web', 'infra', 'bench', 'subgraph:casework', 'subgraph:health', 'subgraph:governance']) {
      expect(files.some((f) => layerOf(f.replace(/\.ts$/, '')) === layer)).toBe(true);
    }
  });

  it('has no arrow running back up a layer', () => {
    const wrong = edges
      .filter((e) => !allowed(layerOf(e.from), layerOf(e.to)))
      .map((e) => `${e.from} -> ${relative('.', e.to)}`);
    expect(wrong).toEqual([]);
  });

  it('has every import resolving to a file in the repository', () => {
    const known = new Set(files.map((f) => f.replace(/\.ts$/, '')));
    const missing = edges.filter((e) => !known.has(e.to)).map((e) => `${e.from} -> ${e.to}`);
    expect(missing).toEqual([]);
  });

  it('has no cycle between modules outside the tests', () => {
    const graph = new Map<string, string[]>();
    for (const e of edges) {
      if (layerOf(e.from) === 'test') continue;
      graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
    }
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (node: string, trail: string[]): void => {
      if (state.get(node) === 'done') return;
      if (state.get(node) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(node)), node].join(' -> '));
        return;
      }
      state.set(node, 'open');
      for (const next of graph.get(node) ?? []) visit(next, [...trail, node]);
      state.set(node, 'done');
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });
});
