import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { workerScript } from '../../subgraphs/toolkit/worker-script';

const ROOT = join(__dirname, '..', '..');

describe('the file a worker thread runs', () => {
  it('from the build, the sibling .js', () => {
    expect(workerScript(join(ROOT, 'dist', 'subgraphs', 'casework', 'import', 'sen2-read.js'), 'sen2-read-worker')).toBe(join(ROOT, 'dist', 'subgraphs', 'casework', 'import', 'sen2-read-worker.js'));
  });

  it('from the sources, the same module built under dist/, which exists once built', () => {
    const file = workerScript(join(ROOT, 'subgraphs', 'casework', 'import', 'sen2-read.ts'), 'sen2-read-worker');
    expect(file).toBe(join(ROOT, 'dist', 'subgraphs', 'casework', 'import', 'sen2-read-worker.js'));
    expect(existsSync(file)).toBe(true);
  });

  it('a worker not built is named, with what to run', () => {
    expect(() => workerScript(join(ROOT, 'subgraphs', 'casework', 'import', 'sen2-read.ts'), 'no-such-worker')).toThrow('dist/subgraphs/casework/import/no-such-worker.js is not built: run `npm run build` first');
  });
});
