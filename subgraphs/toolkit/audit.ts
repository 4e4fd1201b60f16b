import type { EntityManager } from '@mikro-orm/postgresql';
import type { SubgraphContext } from './context';

export interface AuditEntry {
  entityType: string;
  entityId: string;
  fields?: string[];
}

/**
 * Records a write in the audit trail, in the same transaction as the write
 * (pass the transaction's entity manager), so a write and its record stand or
 * fall together.
 */
export async function auditWrite(em: EntityManager, context: SubgraphContext, entry: AuditEntry): Promise<void> {
  const caller = context.caller;
  await em.getConnection().execute(
    `INSERT INTO audit_event (user_id, roles, org, operation_name, request_id, action, entity_type, entity_id, fields)
     VALUES (?, ?, ?, ?, ?, 'WRITE', ?, ?, ?)`,
    [caller?.userId ?? 'unknown', caller?.roles ?? [], caller?.org ?? 'unknown', context.operationName ?? null, context.requestId, entry.entityType, entry.entityId, entry.fields ?? []],
    'run',
    em.getTransactionContext(),
  );
}
