import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * The file a worker thread runs for a module beside `moduleFile`. Worker threads run
 * JavaScript: from the build (dist/) that is the sibling `.js`; from the TypeScript
 * sources, as the tests run them through SWC, it is the same module's build under
 * dist/, which `npm test` makes first.
 */
export function workerScript(moduleFile: string, name: string): string {
  const dir = dirname(moduleFile);
  if (moduleFile.endsWith('.js')) return join(dir, `${name}.js`);
  let root = dir;
  while (!existsSync(join(root, 'package.json'))) {
    const up = dirname(root);
    if (up === root) throw new Error(`no package.json above ${dir}`);
    root = up;
  }
  const built = join(root, 'dist', relative(root, dir), `${name}.js`);
  if (!existsSync(built)) throw new Error(`${relative(root, built)} is not built: run \`npm run build\` first`);
  return built;
}
