import type { SubgraphContext } from './context';
import { showAsComputed, type PointPolicy } from './measures/series';

/**
 * The disclosure control a caller's measures get: figures as computed for roles
 * with person-level rights to the underlying records, small-number suppression for
 * everyone else. Every measure resolver asks this, never decides for itself.
 *
 * STUB: returns figures as computed; the Security issue implements suppression here.
 */
export function measurePolicy(_context: SubgraphContext, _owner: 'casework' | 'health'): PointPolicy {
  return showAsComputed;
}
