/**
 * The referrals file (one row per referral, after the Mental Health Services Data
 * Set's referral table): pure validation, then an idempotent all-or-nothing write.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { WriteEntry } from '../../toolkit/write';
import type { RecordWrites } from './run';
import { linkKeyFor } from '../../toolkit/link-key';
import { refreshMonthEnds } from '../measures/month-ends';
import { PATHWAYS, URGENCIES, type Pathway, type Urgency } from '../entities/enums';
import { ProblemList } from '../../toolkit/import-text';
import { checkCode, checkDate, checkId, checkNhsNumber, checkText, type Check, type Problem } from './fields';

export const REFERRAL_COLUMNS = ['referral_id', 'nhs_number', 'service_code', 'pathway', 'urgency', 'received_date', 'first_contact_date', 'second_contact_date', 'discharge_date', 'discharge_reason'] as const;

export interface ReferralRecord {
  line: number;
  sourceId: string;
  nhsNumber: string;
  serviceCode: string;
  pathway: Pathway;
  urgency: Urgency;
  receivedDate: string;
  firstContactDate: string | null;
  secondContactDate: string | null;
  dischargeDate: string | null;
  dischargeReason: string | null;
}

/**
 * Checks a referrals file a row at a time, remembering what it needs across rows
 * (ids seen, service codes met). Knows the services already held (code -> pathway).
 */
export class ReferralValidator {
  readonly problems: Problem[] = new ProblemList<Problem>();
  readonly records: ReferralRecord[] = [];
  /** Service codes not held yet, with the pathway the file gives them: registered on import. */
  readonly newServices = new Map<string, Pathway>();
  private readonly firstLineOf = new Map<string, number>();

  constructor(
    private readonly services: ReadonlyMap<string, Pathway>,
    private readonly today: string,
  ) {}

  /** Checks one data row (`line` as the file counts, the header being line 1); true when it is valid. */
  add(row: Record<string, string | undefined>, line: number): boolean {
    const problems: Problem[] = [];
    const get = (c: (typeof REFERRAL_COLUMNS)[number]) => row[c] ?? '';
    const take = <T>(column: string, check: Check<T>): T | undefined => {
      if (check.ok) return check.value;
      problems.push({ line, column, value: get(column as never), rule: check.rule });
      return undefined;
    };
    const sourceId = take('referral_id', checkId(get('referral_id'), 'provider\'s referral id'));
    const nhsNumber = take('nhs_number', checkNhsNumber(get('nhs_number')));
    const serviceCode = take('service_code', checkId(get('service_code'), 'service code', 32));
    const pathway = take('pathway', checkCode(get('pathway'), PATHWAYS));
    const urgency = take('urgency', checkCode(get('urgency'), URGENCIES));
    const received = take('received_date', checkDate(get('received_date'), this.today, true));
    const first = take('first_contact_date', checkDate(get('first_contact_date'), this.today, false));
    const second = take('second_contact_date', checkDate(get('second_contact_date'), this.today, false));
    const discharge = take('discharge_date', checkDate(get('discharge_date'), this.today, false));
    const reason = take('discharge_reason', checkText(get('discharge_reason'), 200)) ?? '';

    const order = (column: string, value: string | null | undefined, rule: string, holds: boolean) => {
      if (value && !holds) problems.push({ line, column, value: get(column as never), rule });
    };
    if (received) {
      order('first_contact_date', first, 'must not be before received_date', !first || first >= received);
      order('discharge_date', discharge, 'must not be before received_date', !discharge || discharge >= received);
    }
    if (second !== undefined && second && !first && first !== undefined) problems.push({ line, column: 'second_contact_date', value: get('second_contact_date'), rule: 'a second contact needs a first_contact_date' });
    order('second_contact_date', second, 'must not be before first_contact_date', !second || !first || second >= first);
    order('first_contact_date', first, 'must not be after discharge_date', !first || !discharge || first <= discharge);
    order('second_contact_date', second, 'must not be after discharge_date', !second || !discharge || second <= discharge);
    if (reason && discharge === null) problems.push({ line, column: 'discharge_reason', value: reason, rule: 'a discharge reason needs a discharge_date' });

    if (serviceCode && pathway) {
      const held = this.services.get(serviceCode) ?? this.newServices.get(serviceCode);
      if (held && held !== pathway) problems.push({ line, column: 'pathway', value: get('pathway'), rule: `service ${serviceCode} is on the ${held} pathway` });
    }
    if (sourceId) {
      const earlier = this.firstLineOf.get(sourceId);
      if (earlier !== undefined) problems.push({ line, column: 'referral_id', value: sourceId, rule: `referral_id already used on line ${earlier}` });
      else this.firstLineOf.set(sourceId, line);
    }
    if (problems.length) {
      this.problems.push(...problems);
      return false;
    }
    if (!this.services.has(serviceCode!)) this.newServices.set(serviceCode!, pathway!);
    this.records.push({
      line, sourceId: sourceId!, nhsNumber: nhsNumber!, serviceCode: serviceCode!, pathway: pathway!, urgency: urgency!, receivedDate: received!,
      firstContactDate: first ?? null, secondContactDate: second ?? null, dischargeDate: discharge ?? null, dischargeReason: reason || null,
    });
    return true;
  }
}

export interface WriteSummary {
  created: number;
  updated: number;
  unchanged: number;
}

const REFERRAL_FIELDS = ['linkKey', 'serviceId', 'pathway', 'urgency', 'receivedDate', 'firstContactDate', 'secondContactDate', 'dischargeDate', 'dischargeReason'] as const;
const COLUMN: Record<(typeof REFERRAL_FIELDS)[number], string> = {
  linkKey: 'link_key', serviceId: 'service_id', pathway: 'pathway', urgency: 'urgency', receivedDate: 'received_date',
  firstContactDate: 'first_contact_date', secondContactDate: 'second_contact_date', dischargeDate: 'discharge_date', dischargeReason: 'discharge_reason',
};

/**
 * Writes checked referrals in the caller's transaction: new service codes first,
 * then each referral created or updated by its provider id (a re-import changes
 * what changed and duplicates nothing), each write audited with the fields it set.
 * Per chunk of 500: one SELECT of the rows held and one upsert; the audit entries are
 * written in one insert when the import's transaction ends (toolkit/write.ts).
 */
export async function writeReferrals(tx: EntityManager, record: RecordWrites, records: readonly ReferralRecord[], newServices: ReadonlyMap<string, Pathway>, linkKeySecret: string, progress: (done: number) => void = () => undefined): Promise<WriteSummary & { servicesRegistered: string[] }> {
  const knex = tx.getKnex();
  const trx = tx.getTransactionContext();
  const connection = tx.getConnection();
  if (newServices.size) {
    const registered = (await knex
      .table('health_service')
      .insert([...newServices].map(([code, pathway]) => ({ code, name: code, provider: 'Not recorded (registered by a referrals import)', pathway })))
      .returning(['id'])
      .transacting(trx)) as Array<{ id: string }>;
    record(registered.map(({ id }) => ({ entityType: 'HealthService', entityId: id, fields: ['code', 'name', 'provider', 'pathway'] })));
  }
  const services = new Map((await connection.execute<Array<{ id: string; code: string }>>('SELECT id, code FROM health_service', [], 'all', trx)).map((s) => [s.code, s.id]));
  const summary = { created: 0, updated: 0, unchanged: 0, servicesRegistered: [...newServices.keys()] };
  const CHUNK = 500;
  for (let i = 0; i < records.length; i += CHUNK) {
    const chunk = records.slice(i, i + CHUNK).map((r) => ({
      sourceId: r.sourceId, linkKey: linkKeyFor(r.nhsNumber, linkKeySecret), serviceId: services.get(r.serviceCode)!, pathway: r.pathway, urgency: r.urgency, receivedDate: r.receivedDate,
      firstContactDate: r.firstContactDate, secondContactDate: r.secondContactDate, dischargeDate: r.dischargeDate, dischargeReason: r.dischargeReason,
    }));
    const existing = new Map(
      (await connection.execute<Array<Record<string, string | null>>>(
        `SELECT id, source_id AS "sourceId", link_key AS "linkKey", service_id AS "serviceId", pathway, urgency, to_char(received_date, 'YYYY-MM-DD') AS "receivedDate",
           to_char(first_contact_date, 'YYYY-MM-DD') AS "firstContactDate", to_char(second_contact_date, 'YYYY-MM-DD') AS "secondContactDate",
           to_char(discharge_date, 'YYYY-MM-DD') AS "dischargeDate", discharge_reason AS "dischargeReason"
         FROM referral WHERE source_id IN (?)`, [chunk.map((r) => r.sourceId)], 'all', trx)).map((r) => [r.sourceId!, r]),
    );
    const writes: Array<{ row: (typeof chunk)[number]; fields: string[]; created: boolean }> = [];
    for (const row of chunk) {
      const old = existing.get(row.sourceId);
      const fields = REFERRAL_FIELDS.filter((f) => !old || (old[f] ?? null) !== (row[f] ?? null));
      if (old && fields.length === 0) summary.unchanged++;
      else writes.push({ row, fields: old ? [...fields] : ['sourceId', ...REFERRAL_FIELDS], created: !old });
    }
    if (writes.length) {
      const returned = (await knex
        .table('referral')
        .insert(writes.map(({ row }) => ({ source_id: row.sourceId, ...Object.fromEntries(REFERRAL_FIELDS.map((f) => [COLUMN[f], row[f]])) })))
        .onConflict('source_id')
        .merge(REFERRAL_FIELDS.map((f) => COLUMN[f]))
        .returning(['id', 'source_id'])
        .transacting(trx)) as Array<{ id: string; source_id: string }>;
      const idOf = new Map(returned.map((r) => [r.source_id, r.id]));
      const events: WriteEntry[] = [];
      for (const w of writes) {
        events.push({ entityType: 'Referral', entityId: idOf.get(w.row.sourceId)!, fields: w.fields });
        if (w.created) summary.created++;
        else summary.updated++;
      }
      record(events);
    }
    progress(Math.min(i + CHUNK, records.length));
  }
  // The month-end waiting figures are derived from referrals: rebuilt in this transaction.
  if (summary.created || summary.updated) await refreshMonthEnds(tx);
  return summary;
}
