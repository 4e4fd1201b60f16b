/**
 * Writes a checked SPACE file in the import's transaction: cohorts by the
 * provider's id, families by cohort and child, attendance by family and session.
 * Each is created, updated (only what changed) or left alone, so a re-import
 * duplicates nothing; every write is audited with the fields it set. Nothing is
 * deleted: a family or session the file no longer lists stays as held.
 * The SPACE measures follow by the tables' own triggers, in this transaction.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { linkKeyFor } from '../../toolkit/link-key';
import type { WriteEntry } from '../../toolkit/write';
import { sessionDate } from '../rules/space';
import type { RecordWrites } from './run';
import type { SpaceCohortRecord, SpaceEnrolmentRecord } from './space';

const CHUNK = 500;

export interface Counts {
  created: number;
  updated: number;
  unchanged: number;
}

type Row = Record<string, string | number | boolean | null>;

/**
 * One table's upsert: per chunk, one SELECT of the rows held (by the key's first
 * column, matched on the whole key here) and one INSERT ... ON CONFLICT for the new
 * and changed. Returns each row's id by key, and the keys written.
 */
async function upsert(tx: EntityManager, spec: {
  table: string; entityType: string; key: string[]; fields: Record<string, string>; select: string; rows: Row[];
  record: RecordWrites; counts: Counts;
}): Promise<{ ids: Map<string, string>; written: Set<string>; created: Set<string> }> {
  const trx = tx.getTransactionContext();
  const keyOf = (r: Row) => spec.key.map((k) => String(r[k])).join('\u0000');
  const ids = new Map<string, string>();
  const written = new Set<string>();
  const created = new Set<string>();
  const columns = Object.values(spec.fields);
  for (let i = 0; i < spec.rows.length; i += CHUNK) {
    const chunk = spec.rows.slice(i, i + CHUNK);
    const first = [...new Set(chunk.map((r) => r[spec.key[0]]))];
    const held = new Map((await tx.getConnection().execute<Row[]>(`SELECT id, ${spec.select} FROM ${spec.table} WHERE ${spec.key[0]} IN (?)`, [first], 'all', trx)).map((r) => [keyOf(r), r]));
    const writes: Array<{ row: Row; fields: string[] }> = [];
    for (const row of chunk) {
      const old = held.get(keyOf(row));
      if (old) ids.set(keyOf(row), String(old.id));
      const changed = Object.keys(spec.fields).filter((f) => !old || (old[spec.fields[f]] ?? null) !== (row[spec.fields[f]] ?? null));
      if (old && !changed.length) spec.counts.unchanged++;
      else {
        writes.push({ row, fields: changed });
        written.add(keyOf(row));
        if (old) spec.counts.updated++;
        else {
          spec.counts.created++;
          created.add(keyOf(row));
        }
      }
    }
    if (!writes.length) continue;
    const returned = (await tx.getKnex()
      .table(spec.table)
      .insert(writes.map((w) => w.row))
      .onConflict(spec.key)
      .merge(columns.filter((c) => !spec.key.includes(c)))
      .returning(['id', ...spec.key])
      .transacting(trx)) as Row[];
    for (const r of returned) ids.set(keyOf(r), String(r.id));
    const events: WriteEntry[] = writes.map((w) => ({ entityType: spec.entityType, entityId: ids.get(keyOf(w.row))!, fields: w.fields }));
    spec.record(events);
  }
  return { ids, written, created };
}

export interface SpaceSummary {
  cohorts: Counts;
  families: Counts;
  sessions: Counts;
}

export async function writeSpace(tx: EntityManager, record: RecordWrites, cohorts: ReadonlyMap<string, SpaceCohortRecord>, records: readonly SpaceEnrolmentRecord[], linkKeySecret: string, progress: (done: number) => void = () => undefined): Promise<SpaceSummary> {
  const trx = tx.getTransactionContext();
  const services = new Map((await tx.getConnection().execute<Array<{ id: string; code: string }>>('SELECT id, code FROM health_service', [], 'all', trx)).map((s) => [s.code, s.id]));
  const summary: SpaceSummary = { cohorts: count(), families: count(), sessions: count() };

  // Only cohorts with a family to write (with --skip-invalid, a cohort whose every row was skipped is not).
  const used = [...new Set(records.map((r) => r.cohortId))].map((id) => cohorts.get(id)!);
  const { ids: cohortIds } = await upsert(tx, {
    table: 'space_cohort', entityType: 'SpaceCohort', key: ['source_id'], record, counts: summary.cohorts,
    fields: { sourceId: 'source_id', name: 'name', service: 'service_id', delivery: 'delivery', startDate: 'start_date', plannedSessions: 'planned_sessions' },
    select: `source_id, name, service_id, delivery, to_char(start_date, 'YYYY-MM-DD') AS start_date, planned_sessions`,
    rows: used.map((c) => ({ source_id: c.sourceId, name: c.name, service_id: services.get(c.serviceCode)!, delivery: c.delivery, start_date: c.startDate, planned_sessions: c.plannedSessions })),
  });

  const families = records.map((r) => ({ source: r, cohort_id: cohortIds.get(r.cohortId)!, link_key: linkKeyFor(r.nhsNumber, linkKeySecret) }));
  const enrolments = await upsert(tx, {
    table: 'space_enrolment', entityType: 'SpaceEnrolment', key: ['cohort_id', 'link_key'], record, counts: count(),
    fields: { cohort: 'cohort_id', linkKey: 'link_key', fasaBefore: 'fasa_before', fasaAfter: 'fasa_after' },
    select: 'cohort_id, link_key, fasa_before, fasa_after',
    rows: families.map((f) => ({ cohort_id: f.cohort_id, link_key: f.link_key, fasa_before: f.source.fasaBefore, fasa_after: f.source.fasaAfter })),
  });
  progress(Math.floor(records.length / 2));

  const sessions: Row[] = [];
  for (const f of families) {
    const start = cohorts.get(f.source.cohortId)!.startDate;
    const enrolmentId = enrolments.ids.get(`${f.cohort_id}\u0000${f.link_key}`)!;
    f.source.attended.forEach((attended, i) => sessions.push({ enrolment_id: enrolmentId, session_number: i + 1, session_date: sessionDate(start, i + 1), attended }));
  }
  const attendance = await upsert(tx, {
    table: 'space_attendance', entityType: 'SpaceAttendance', key: ['enrolment_id', 'session_number'], record, counts: summary.sessions,
    fields: { enrolment: 'enrolment_id', sessionNumber: 'session_number', sessionDate: 'session_date', attended: 'attended' },
    select: `enrolment_id, session_number, to_char(session_date, 'YYYY-MM-DD') AS session_date, attended`,
    rows: sessions,
  });
  progress(records.length);
  // A family is updated when its enrolment or any of its sessions was written.
  const touched = new Set([...attendance.written].map((key) => key.split('\u0000')[0]));
  for (const f of families) {
    const key = `${f.cohort_id}\u0000${f.link_key}`;
    if (enrolments.created.has(key)) summary.families.created++;
    else if (enrolments.written.has(key) || touched.has(enrolments.ids.get(key)!)) summary.families.updated++;
    else summary.families.unchanged++;
  }
  return summary;
}

const count = (): Counts => ({ created: 0, updated: 0, unchanged: 0 });
