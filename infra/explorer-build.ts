import { build } from 'esbuild';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository's root: the nearest folder above this file with a package.json (from infra/ or dist/infra/). */
function repositoryRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('No package.json above infra/.');
    dir = up;
  }
  return dir;
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SEND partnership API explorer</title>
<link rel="stylesheet" href="/explorer/explorer.css">
<style>
  html, body, #explorer, .explorer { height: 100%; margin: 0; }
  .explorer { display: flex; flex-direction: column; font-family: system-ui, sans-serif; }
  .explorer-bar { display: flex; gap: 1em; align-items: center; padding: 0.5em 1em; border-bottom: 1px solid #ccc; font-size: 14px; }
  .explorer-token { flex: 1; display: flex; gap: 0.5em; align-items: center; }
  .explorer-token input { flex: 1; font-family: monospace; }
  .explorer-status { color: #555; }
  .explorer-graphiql { flex: 1; min-height: 0; }
  .explorer-help { padding: 1em 2em; max-width: 50em; }
</style>
</head>
<body>
<div id="explorer"></div>
<script src="/explorer/explorer.js"></script>
</body>
</html>
`;

/**
 * Bundles the explorer (GraphiQL, React and the page's own code) into `outDir`:
 * index.html, explorer.js and explorer.css, with fonts and images inlined, so the
 * gateway serves every byte and the page works with the network cut. Run after
 * tsc by `npm run build` (postbuild); esbuild is a devDependency, needed to build
 * and never by the running gateway.
 */
export async function buildExplorer(outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: { explorer: join(repositoryRoot(), 'gateway', 'explorer-page', 'client.jsx') },
    bundle: true,
    minify: true,
    outdir: outDir,
    format: 'iife',
    target: 'es2020',
    jsx: 'automatic',
    loader: { '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.svg': 'dataurl', '.png': 'dataurl' },
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none',
    logLevel: 'warning',
  });
  writeFileSync(join(outDir, 'index.html'), PAGE);
}

if (require.main === module) {
  const out = join(repositoryRoot(), 'dist', 'explorer');
  buildExplorer(out).then(
    () => console.log(`built the explorer into ${out}`),
    (err: unknown) => {
      console.error(`explorer build failed: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
