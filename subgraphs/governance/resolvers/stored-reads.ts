import { createHash } from 'node:crypto';
import type { SubgraphContext } from '../../toolkit/context';
import { publishedOnly } from '../rules/published';
import { storedRead } from '../../toolkit/stored-reads';
import type { FigureRoot } from './support';

/**
 * What the dashboard reads and works out from governance's own data (the visible
 * KPIs, the plan judged by the status rule, the cards rated against their
 * trajectories, the overdue escalations, ...), filed under governance's data
 * version (Migration20261208000100_governance_data_version: every transaction
 * that writes a governance table adds one to it as it commits) by the toolkit's
 * store (toolkit/stored-reads.ts), so never stale:
 * - an answer is filed under the caller's visibility (partner apps see published
 *   items only, everyone else everything: rules/published.ts), so no caller is
 *   given what was worked out for a wider view; the roles' field checks still run
 *   on every request;
 * - parts that depend on the figures casework and health brought are filed under
 *   those figures too (with the date judged at, as statuses depend on the day).
 */

/**
 * One part of an answer, from the store when this version holds it for the
 * caller's view; `key` says everything else it depends on (the date, the figures).
 */
export function stored<T>(context: SubgraphContext, part: string, key: string, read: () => Promise<T>): Promise<T> {
  const view = publishedOnly(context.caller) ? 'published' : 'all';
  return storedRead(context, 'governance_data_version', `${part}|${view}|${key}`, read);
}

const figureKeys = new WeakMap<FigureRoot, string>();

/** What a part judged from the gateway's figures depends on besides governance's data: the root's date, specs and figures. */
export function figuresKey(root: FigureRoot): string {
  let key = figureKeys.get(root);
  if (key === undefined) {
    const figures = JSON.stringify([root.id, root.asOf, root.caseworkMeasures, root.healthMeasures, root.caseworkFigures ?? null, root.healthFigures ?? null]);
    key = createHash('sha256').update(figures).digest('base64');
    figureKeys.set(root, key);
  }
  return key;
}
