/**
 * The health advice file: one row per EHC needs assessment the council asked
 * health to advise on. Pure validation, then an idempotent all-or-nothing write.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { WriteEntry } from '../../toolkit/write';
import type { RecordWrites } from './run';
import { linkKeyFor } from '../../toolkit/link-key';
import { ProblemList } from '../../toolkit/import-text';
import { checkDate, checkId, checkNhsNumber, type Check, type Problem } from './fields';
import type { WriteSummary } from './referrals';

export const HEALTH_ADVICE_COLUMNS = ['assessment_id', 'nhs_number', 'asked_date', 'returned_date'] as const;

export interface HealthAdviceRecord {
  line: number;
  assessmentId: string;
  nhsNumber: string;
  askedDate: string;
  returnedDate: string | null;
}

export class HealthAdviceValidator {
  readonly problems: Problem[] = new ProblemList<Problem>();
  readonly records: HealthAdviceRecord[] = [];
  private readonly firstLineOf = new Map<string, number>();

  constructor(private readonly today: string) {}

  add(row: Record<string, string | undefined>, line: number): boolean {
    const problems: Problem[] = [];
    const get = (c: (typeof HEALTH_ADVICE_COLUMNS)[number]) => row[c] ?? '';
    const take = <T>(column: (typeof HEALTH_ADVICE_COLUMNS)[number], check: Check<T>): T | undefined => {
      if (check.ok) return check.value;
      problems.push({ line, column, value: get(column), rule: check.rule });
      return undefined;
    };
    const assessmentId = take('assessment_id', checkId(get('assessment_id'), 'council\'s EHC needs assessment id'));
    const nhsNumber = take('nhs_number', checkNhsNumber(get('nhs_number')));
    const asked = take('asked_date', checkDate(get('asked_date'), this.today, true));
    const returned = take('returned_date', checkDate(get('returned_date'), this.today, false));
    if (asked && returned && returned < asked) problems.push({ line, column: 'returned_date', value: get('returned_date'), rule: 'must not be before asked_date' });
    if (assessmentId) {
      const earlier = this.firstLineOf.get(assessmentId);
      if (earlier !== undefined) problems.push({ line, column: 'assessment_id', value: assessmentId, rule: `assessment_id already used on line ${earlier}` });
      else this.firstLineOf.set(assessmentId, line);
    }
    if (problems.length) {
      this.problems.push(...problems);
      return false;
    }
    this.records.push({ line, assessmentId: assessmentId!, nhsNumber: nhsNumber!, askedDate: asked!, returnedDate: returned ?? null });
    return true;
  }
}

/** Creates or updates each request by the council's assessment id, auditing every write (per chunk: one lookup and one upsert; the audit entries in one insert when the transaction ends). */
export async function writeHealthAdvice(tx: EntityManager, record: RecordWrites, records: readonly HealthAdviceRecord[], linkKeySecret: string, progress: (done: number) => void = () => undefined): Promise<WriteSummary> {
  const trx = tx.getTransactionContext();
  const connection = tx.getConnection();
  const summary: WriteSummary = { created: 0, updated: 0, unchanged: 0 };
  const CHUNK = 500;
  for (let i = 0; i < records.length; i += CHUNK) {
    const chunk = records.slice(i, i + CHUNK).map((r) => ({ assessmentId: r.assessmentId, linkKey: linkKeyFor(r.nhsNumber, linkKeySecret), askedDate: r.askedDate, returnedDate: r.returnedDate }));
    const existing = new Map(
      (await connection.execute<Array<{ assessmentId: string; linkKey: string; askedDate: string; returnedDate: string | null }>>(
        `SELECT assessment_id AS "assessmentId", link_key AS "linkKey", to_char(asked_date, 'YYYY-MM-DD') AS "askedDate", to_char(returned_date, 'YYYY-MM-DD') AS "returnedDate"
         FROM health_advice_request WHERE assessment_id IN (?)`, [chunk.map((r) => r.assessmentId)], 'all', trx)).map((r) => [r.assessmentId, r]),
    );
    const writes: Array<{ row: (typeof chunk)[number]; fields: string[]; created: boolean }> = [];
    for (const row of chunk) {
      const old = existing.get(row.assessmentId);
      const fields = (['linkKey', 'askedDate', 'returnedDate'] as const).filter((f) => !old || old[f] !== row[f]);
      if (old && fields.length === 0) summary.unchanged++;
      else writes.push({ row, fields: old ? [...fields] : ['assessmentId', 'linkKey', 'askedDate', 'returnedDate'], created: !old });
    }
    if (writes.length) {
      const returned = (await tx.getKnex()
        .table('health_advice_request')
        .insert(writes.map(({ row }) => ({ assessment_id: row.assessmentId, link_key: row.linkKey, asked_date: row.askedDate, returned_date: row.returnedDate })))
        .onConflict('assessment_id')
        .merge(['link_key', 'asked_date', 'returned_date'])
        .returning(['id', 'assessment_id'])
        .transacting(trx)) as Array<{ id: string; assessment_id: string }>;
      const idOf = new Map(returned.map((r) => [r.assessment_id, r.id]));
      const events: WriteEntry[] = [];
      for (const w of writes) {
        events.push({ entityType: 'HealthAdvice', entityId: idOf.get(w.row.assessmentId)!, fields: w.fields });
        if (w.created) summary.created++;
        else summary.updated++;
      }
      record(events);
    }
    progress(Math.min(i + CHUNK, records.length));
  }
  return summary;
}
