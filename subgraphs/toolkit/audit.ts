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
