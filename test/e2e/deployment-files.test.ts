import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES } from '../../platform/config';

const ROOT = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/**
 * Docker cannot run here, so this checks what can be checked of the deployment
 * files without it: they name only variables the stack reads, the paths they copy
 * and run exist, and the README documents every variable.
 */
describe('deployment files', () => {
  const known = new Set(CONFIG_VARIABLES.map((v) => v.name));

  it('docker-compose.yml sets only variables the stack reads (or PostgreSQL\'s own)', () => {
    const compose = read('docker-compose.yml');
    const stackSection = compose.slice(compose.indexOf('\n  stack:'));
    const envBlock = stackSection.slice(stackSection.indexOf('environment:'), stackSection.indexOf('    ports:'));
    const names = [...envBlock.matchAll(/^\s{6}([A-Z_]+):/gm)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(3);
    for (const name of names) expect({ name, known: known.has(name) }).toEqual({ name, known: true });
    expect(compose).toMatch(/DATABASE_URL: postgres:\/\/postgres:.*@postgres:5432\/postgres/);
  });

  it('the Dockerfile copies folders that exist and runs the start command the build produces', () => {
    const dockerfile = read('Dockerfile');
    for (const [, source] of dockerfile.matchAll(/^COPY (\S+) /gm)) {
      for (const part of source.split(' ')) expect({ part, exists: existsSync(join(ROOT, part)) }).toEqual({ part, exists: true });
    }
    expect(dockerfile).toContain('CMD ["node", "dist/infra/start.js"]');
    expect(existsSync(join(ROOT, 'infra', 'start.ts'))).toBe(true);
  });

  it('the README documents every configuration variable', () => {
    const readme = read('README.md');
    for (const v of CONFIG_VARIABLES) expect({ variable: v.name, documented: readme.includes(`\`${v.name}\``) }).toEqual({ variable: v.name, documented: true });
  });
});
