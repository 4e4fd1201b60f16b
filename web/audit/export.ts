import { csvField } from '../explorer/csv';
import type { AuditEntry } from './merge';

export const AUDIT_CSV_HEADERS = ['occurred_at', 'source', 'action', 'user_id', 'roles', 'org', 'entity_type', 'entity_id', 'record_ids', 'fields', 'operation_name', 'request_id', 'entry_id'] as const;

/** The audit trail as CSV for the auditor's own records: one row per entry (a read of several records lists them all in record_ids), lists joined by spaces, CRLF lines. */
export function auditCsv(entries: AuditEntry[]): string {
  const rows = entries.map((e) => [e.occurredAt, e.source, e.action, e.userId, e.roles.join(' '), e.org, e.entityType, e.entityId ?? '', e.recordIds.join(' '), e.fields.join(' '), e.operationName ?? '', e.requestId ?? '', e.id]);
  return [[...AUDIT_CSV_HEADERS], ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
