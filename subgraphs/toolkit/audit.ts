import type { EntityManager } from '@mikro-orm/postgresql';
import { insertAuditEvents } from './audit-reads';
import type { SubgraphContext } from './context';

export interface AuditEntry {
  entityType: string;
  entityId: string;
  fields?: string[];
}

/**
 * Records a write in the audit trail, in the same transaction as the write
 * (pass the transaction's entity manager), so a write and its record stand or
 * fall together. Reads are recorded for you (audit-reads.ts).
 */
export async function auditWrite(em: EntityManager, context: SubgraphContext, entry: AuditEntry): Promise<void> {
  await insertAuditEvents(em, context, 'WRITE', [{ entityType: entry.entityType, entityId: entry.entityId, fields: entry.fields ?? [] }], em.getTransactionContext());
}

/**
 * Records many writes of one transaction (an import's batch) in one insert; the
 * same as calling auditWrite for each, in a single round trip.
 */
export async function auditWrites(em: EntityManager, context: SubgraphContext, entries: readonly AuditEntry[]): Promise<void> {
  await insertAuditEvents(em, context, 'WRITE', entries.map((e) => ({ entityType: e.entityType, entityId: e.entityId, fields: e.fields ?? [] })), em.getTransactionContext());
}
