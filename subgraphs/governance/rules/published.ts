import { Access, Role } from '../../toolkit/access';
import type { Caller } from '../../../platform/auth';
import { effectiveRoles } from '../../../platform/roles';

/**
 * Partner apps see published governance items only. The rule: a caller whose only
 * role that may read governance is partner_app sees an item when it is published
 * AND every item it hangs from is published (a published meeting of an unpublished
 * body, or a published action in an unpublished area, stays hidden: otherwise the
 * parent would leak through it). Items without a flag of their own (milestones,
 * progress updates, findings) follow their parent. Any other governance reader
 * (board member, executive, ...) sees everything.
 */
export function publishedOnly(caller: Caller | null): boolean {
  // Fails closed: only a governance reader other than partner_app lifts the filter, so
  // a caller with no governance role at all (refused by the role matrix anyway) or no
  // caller gets published items only, never everything.
  return !effectiveRoles(caller).some((r) => r !== Role.PARTNER_APP && (Access.GOVERNANCE_READ as readonly string[]).includes(r));
}

/**
 * Every governance item a reader can reach: whether it carries its own published
 * flag, and the relations (property name → item) it cannot be shown without.
 * Nullable links (an escalation's action) are not parents: the link shows as null.
 */
export const GOVERNANCE_ITEMS = {
  GovernanceBody: { flag: true, parents: {} },
  Meeting: { flag: true, parents: { body: 'GovernanceBody' } },
  PapArea: { flag: true, parents: {} },
  PriorityAction: { flag: true, parents: { area: 'PapArea' } },
  Milestone: { flag: false, parents: { action: 'PriorityAction' } },
  ProgressUpdate: { flag: false, parents: { action: 'PriorityAction' } },
  Kpi: { flag: true, parents: {} },
  Escalation: { flag: true, parents: { body: 'GovernanceBody' } },
  Review: { flag: true, parents: {} },
  ReviewFinding: { flag: false, parents: { review: 'Review' } },
  FamilyFeedback: { flag: true, parents: {} },
} as const satisfies Record<string, { flag: boolean; parents: Record<string, string> }>;

export type GovernanceItem = keyof typeof GOVERNANCE_ITEMS;

type Where = Record<string, unknown>;

/** The MikroORM condition "this item and everything it hangs from is published". */
export function publishedWhere(kind: GovernanceItem): Where {
  const spec = GOVERNANCE_ITEMS[kind];
  const where: Where = spec.flag ? { published: true } : {};
  for (const [relation, parent] of Object.entries(spec.parents) as Array<[string, GovernanceItem]>) where[relation] = publishedWhere(parent);
  return where;
}

/** The MikroORM filter every governance list, count and lookup of `kind` adds for this caller. */
export function visibilityFilter(caller: Caller | null, kind: GovernanceItem): Where {
  return publishedOnly(caller) ? publishedWhere(kind) : {};
}

/**
 * A query's own conditions with the caller's filter added. The two are joined with
 * $and rather than spread into one object, so a condition on the same relation
 * (meetings of body code X) cannot overwrite the filter's (body published).
 */
export function visibleWhere(caller: Caller | null, kind: GovernanceItem, where: Where = {}): Where {
  const filter = visibilityFilter(caller, kind);
  if (Object.keys(filter).length === 0) return where;
  if (Object.keys(where).length === 0) return filter;
  return { $and: [filter, where] };
}

/**
 * Whether an item already in memory is published, with its parents. Fails closed:
 * a parent that is missing or not loaded (no published flag to read) counts as
 * unpublished.
 */
export function isPublished(kind: GovernanceItem, item: unknown): boolean {
  if (!item || typeof item !== 'object') return false;
  const spec = GOVERNANCE_ITEMS[kind];
  const record = item as Record<string, unknown>;
  if (spec.flag && record.published !== true) return false;
  for (const [relation, parent] of Object.entries(spec.parents) as Array<[string, GovernanceItem]>) {
    if (!isPublished(parent, record[relation])) return false;
  }
  return true;
}

/** Whether one item (loaded with its parents) may be shown to this caller. */
export function visibleTo(caller: Caller | null, kind: GovernanceItem, item: unknown): boolean {
  return !publishedOnly(caller) || isPublished(kind, item);
}

/**
 * The action references a finding may name to this caller: only those of actions
 * the caller can see (`visibleReferences`), so a finding does not reveal that an
 * unpublished action exists. Everyone else gets the list as recorded.
 */
export function referencesFor(caller: Caller | null, references: readonly string[], visibleReferences: ReadonlySet<string>): string[] {
  return publishedOnly(caller) ? references.filter((r) => visibleReferences.has(r)) : [...references];
}
