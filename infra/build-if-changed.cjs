#!/usr/bin/env node
/**
 * `npm start`'s build step: compiles only when a source has changed since the
 * last build. tsc on this code base takes a minute or more on two cores, and even
 * an incremental tsc with nothing to do reads and hashes every file (20-30 s), so
 * a start with no change must not run it at all. Plain JavaScript: it runs before
 * anything is compiled.
 *
 * The stamp (dist/.build-stamp) records the newest modification time and the
 * number of the files the build reads (TypeScript, the explorer page's sources); a file edited, added or removed changes one of
 * the two. BUILD=always compiles regardless: `npm test` builds that way, and the
 * stamp it leaves lets the browser tests' own check (test/web/web-stack.ts) find
 * dist/ current instead of compiling again mid-suite.
 */
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const STAMP = join(ROOT, 'dist', '.build-stamp');
const SOURCES = ['platform', 'gateway', 'subgraphs', 'web', 'infra', 'bench', 'test'];
const FILES = ['tsconfig.json', 'package-lock.json'];

function sourcesNow() {
  let newest = 0;
  let count = 0;
  const note = (path) => {
    newest = Math.max(newest, statSync(path).mtimeMs);
    count++;
  };
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|tsx|js|jsx|css|json|njk)$/.test(entry.name)) note(path);
    }
  };
  for (const dir of SOURCES) if (existsSync(join(ROOT, dir))) walk(join(ROOT, dir));
  for (const file of FILES) if (existsSync(join(ROOT, file))) note(join(ROOT, file));
  return { newest, count };
}

function main() {
  const now = sourcesNow();
  if (process.env.BUILD !== 'always' && existsSync(STAMP)) {
    try {
      const last = JSON.parse(readFileSync(STAMP, 'utf8'));
      if (last.newest === now.newest && last.count === now.count) {
        console.log(`build: dist/ is up to date with the ${now.count} source files; not compiling.`);
        return 0;
      }
    } catch {
      // An unreadable stamp: build.
    }
  }
  console.log('build: sources changed since the last build; building (npm run build: tsc, incremental, and the explorer bundle)...');
  const started = Date.now();
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) return build.status ?? 1;
  // The stamp is what was read before compiling: a file saved during the build is built next time.
  writeFileSync(STAMP, JSON.stringify(now));
  console.log(`build: compiled in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return 0;
}

process.exit(main());
