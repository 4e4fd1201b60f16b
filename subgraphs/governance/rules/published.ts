import { Access, Role } from '../../toolkit/access';
import { effectiveRoles } from '../../toolkit/auth';
import type { Caller } from '../../toolkit/context';

/**
 * Partner apps see published governance items only. The rule: a caller whose only
 * role that may read governance is partner_app sees items with published = true;
 * any other governance reader (board member, executive, ...) sees everything.
 */
export function publishedOnly(caller: Caller | null): boolean {
  const readers = effectiveRoles(caller).filter((r) => (Access.GOVERNANCE_READ as readonly string[]).includes(r));
  return readers.length > 0 && readers.every((r) => r === Role.PARTNER_APP);
}

/** The MikroORM filter every governance list, count and lookup adds for this caller. */
export function visibilityFilter(caller: Caller | null): { published?: true } {
  return publishedOnly(caller) ? { published: true } : {};
}

/** Whether one item may be shown to this caller. */
export function visibleTo(caller: Caller | null, item: { published: boolean }): boolean {
  return item.published || !publishedOnly(caller);
}
