import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, MAX_SEED_SCALE } from '../../platform/config';

/** SEED_SCALE reaches England (about 120 times Nottinghamshire) and no further. */
describe('SEED_SCALE', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'seed-scale-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const scale = (value: string) => loadConfig({ DATA_DIR: dataDir, SEED_SCALE: value }).seedScale;

  it('accepts national scale, up to 120', () => {
    expect(MAX_SEED_SCALE).toBe(120);
    expect(scale('30')).toBe(30);
    expect(scale('120')).toBe(120);
    expect(scale('0.1')).toBe(0.1);
  });

  it('refuses more than 120, nothing, and what is not a number, naming the variable', () => {
    for (const bad of ['121', '0', '-1', 'lots']) expect(() => scale(bad)).toThrow(/SEED_SCALE must be a number above 0 and at most 120/);
  });
});
