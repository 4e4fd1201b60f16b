import type { EntityManager } from '@mikro-orm/postgresql';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SeedOptions } from '../../toolkit/subgraph';
import { readRelease } from '../import/release';
import { replaceRelease } from '../import/write';

/** The release shipped with the project (Open Government Licence v3.0; see the README): compact, England, regions, the home area and its neighbours. */
export const SHIPPED_RELEASE = join('subgraphs', 'governance', 'published', 'dfe-ehc-plans-2025');

/** The shipped folder, found from the source (tests) or the build (dist/) alike. */
export function shippedReleaseFolder(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, SHIPPED_RELEASE))) return join(dir, SHIPPED_RELEASE);
  }
  throw new Error(`The shipped DfE release (${SHIPPED_RELEASE}) is missing from this installation.`);
}

/**
 * DfE's published figures from the first start, through the same reading and
 * writing as `npm run import:dfe`, so the England, region and neighbour
 * comparators are there without any step. The shipped files are checked like any
 * other: a problem in them stops the seed rather than loading part of a release.
 */
export async function seedPublished(em: EntityManager, options: Pick<SeedOptions, 'log'>): Promise<void> {
  const started = performance.now();
  const read = await readRelease([shippedReleaseFolder()]);
  const faults = [...read.refusals, ...read.problems];
  if (faults.length || read.release === null) throw new Error(`The shipped DfE release cannot be loaded: ${faults.slice(0, 5).join('; ') || 'no release'}.`);
  const readIn = performance.now() - started;
  const release = read.release;
  const summary = await em.transactional((tx) => replaceRelease(tx as EntityManager, release, read.rows));
  options.log(`governance: DfE release ${read.release} (${read.files.length} files, ${summary.inserted + summary.updated} figures) loaded in ${((performance.now() - started) / 1000).toFixed(2)} s (${(readIn / 1000).toFixed(2)} s reading and checking the files)`);
}
