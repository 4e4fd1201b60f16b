/**
 * Imports a SEN2 return (and optionally the case-system extract) into the casework
 * database: validate everything first (streaming pass 1), then write everything in
 * ONE transaction (streaming pass 2). Any problem refuses the whole file unless
 * skipInvalid, which imports the valid people and reports the rest. Re-importing
 * the same or a later return updates records in place (matched on UPN, else ULN,
 * else surname + forename + birth date; requests on their received date).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { auditWrite } from '../../toolkit/audit';
import { Loaders, type SubgraphContext } from '../../toolkit/context';
import { addDays, addMonths } from '../../toolkit/dates';
import { linkKeyFor } from '../../toolkit/link-key';
import { parseCaseExtract, type CaseExtractRow } from './case-extract';
import { formatProblem, matchKeyOf, validateHeader, validatePerson, type Problem, type Sen2ActivePlan, type Sen2Person, type Sen2Placement } from './sen2-validate';
import { Sen2SyntaxError, streamSen2, type Sen2Header } from './sen2-xml';

export interface Sen2ImportOptions {
  /** Opens the return afresh for each pass (a file stream): the file is read twice, never held. */
  open: () => AsyncIterable<string | Buffer>;
  /** Size of the return in bytes, for progress. */
  size?: number;
  caseExtract?: string | null;
  skipInvalid?: boolean;
  /** Who is importing, for the audit trail. */
  user: string;
  today?: string;
  /** The database and the partnership's link-key secret, opened only once validation passes. */
  database: () => Promise<{ em: EntityManager; linkKeySecret: string }>;
  log?: (line: string) => void;
}

export interface Sen2ImportResult {
  status: 'imported' | 'refused';
  problems: Problem[];
  /** The report, one line per problem, ready to print. */
  report: string[];
  persons: number;
  skipped: number;
  created: number;
  updated: number;
}

interface Counts {
  created: number;
  updated: number;
}

const MB = 1024 * 1024;

/** Problems with the case extract have paths "case-extract/<column>" and the row as their position. */
function describe(problems: Problem[]): string[] {
  return problems.map((p) => formatProblem(p, p.path.startsWith('case-extract/') ? 'case-extract row' : 'person'));
}

/** Runs an import end to end; never throws for bad input (it reports), only for a database failure. */
export async function importSen2(options: Sen2ImportOptions): Promise<Sen2ImportResult> {
  const log = options.log ?? (() => undefined);
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const problems: Problem[] = [];
  const invalid = new Set<number>();
  const extract = options.caseExtract != null ? parseCaseExtract(options.caseExtract) : null;
  const extractProblems = (extract?.problems ?? []).map((p) => ({ ...p, path: `case-extract/${p.path}` }));

  // Pass 1: validate every person, keep nothing but problems and match keys.
  let header: Sen2Header = { collection: null, year: null, referenceDate: null, lea: null };
  const keys = new Map<string, number>();
  let lastReport = 0;
  let persons = 0;
  try {
    const result = await streamSen2(options.open(), {
      header: (h) => {
        header = h;
        problems.push(...validateHeader(h));
      },
      person: (node, position) => {
        const { person, problems: found } = validatePerson(node, position, today);
        if (found.length) invalid.add(position);
        problems.push(...found);
        if (person) {
          const key = matchKeyOf(person);
          if (keys.has(key)) {
            problems.push({ person: position, path: `Person[${position}]/${person.upn ? 'UPN' : person.uln ? 'UniqueLearnerNumber' : 'Surname'}`, value: person.upn ?? person.uln ?? person.surname, rule: `the same child as person ${keys.get(key)}` });
            invalid.add(position);
          } else keys.set(key, position);
        }
      },
      progress: (bytes) => {
        if (options.size && options.size > 5 * MB && bytes - lastReport >= 5 * MB) {
          lastReport = bytes;
          log(`SEN2: checked ${(bytes / MB).toFixed(1)} of ${(options.size / MB).toFixed(1)} MB (${Math.round((100 * bytes) / options.size)}%)`);
        }
      },
    });
    persons = result.persons;
  } catch (err) {
    if (!(err instanceof Sen2SyntaxError)) throw err;
    const p: Problem = { person: 0, path: `line ${err.line}, column ${err.column}`, value: null, rule: err.message };
    return { status: 'refused', problems: [p], report: describe([p]), persons: 0, skipped: 0, created: 0, updated: 0 };
  }
  if (persons === 0) problems.push({ person: 0, path: 'Message/Persons', value: null, rule: 'the return holds no <Person>' });
  const fileProblems = [...problems, ...extractProblems].filter((p) => p.person === 0);
  const all = [...problems, ...extractProblems];
  if (fileProblems.length || (all.length && !options.skipInvalid)) {
    return { status: 'refused', problems: all, report: describe(all), persons, skipped: invalid.size, created: 0, updated: 0 };
  }

  // Pass 2: write the valid people, and the case-extract rows, in one transaction.
  const { em, linkKeySecret } = await options.database();
  const counts: Counts = { created: 0, updated: 0 };
  const writeProblems: Problem[] = [];
  const context: SubgraphContext = {
    em,
    caller: { userId: options.user, roles: ['admin'], org: 'LA' },
    loaders: new Loaders(),
    operationName: 'import:sen2',
    requestId: `sen2-import-${randomUUID()}`,
  };
  const extractByKey = new Map<string, CaseExtractRow>();
  for (const row of extract?.rows ?? []) for (const key of keysOf(row)) if (!extractByKey.has(key)) extractByKey.set(key, row);
  const usedRows = new Set<CaseExtractRow>();
  const skippedRows = new Set((extract?.problems ?? []).map((p) => p.person));
  const allocationDate = today;
  class Rollback extends Error {}
  try {
    await em.transactional(async (tx) => {
      const writer = new Sen2Writer(tx as EntityManager, context, linkKeySecret, allocationDate, counts, writeProblems);
      lastReport = 0;
      await streamSen2(options.open(), {
        person: async (node, position) => {
          if (invalid.has(position)) return;
          const { person } = validatePerson(node, position, today);
          if (!person) return;
          const row = keysOf(person).map((k) => extractByKey.get(k)).find((r) => r && !usedRows.has(r)) ?? null;
          if (row) usedRows.add(row);
          await writer.writePerson(person, row);
        },
        progress: (bytes) => {
          if (options.size && options.size > 5 * MB && bytes - lastReport >= 5 * MB) {
            lastReport = bytes;
            log(`SEN2: imported ${(bytes / MB).toFixed(1)} of ${(options.size / MB).toFixed(1)} MB (${Math.round((100 * bytes) / options.size)}%)`);
          }
        },
      });
      for (const row of extract?.rows ?? []) {
        if (usedRows.has(row) || skippedRows.has(row.row)) continue;
        await writer.writeExtractOnly(row);
      }
      if (writeProblems.length && !options.skipInvalid) throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
    const refused = [...all, ...writeProblems];
    return { status: 'refused', problems: refused, report: describe(refused), persons, skipped: invalid.size, created: 0, updated: 0 };
  }
  const reported = [...all, ...writeProblems];
  return { status: 'imported', problems: reported, report: describe(reported), persons, skipped: invalid.size, created: counts.created, updated: counts.updated };
}

/** The match keys of a person or an extract row, strongest first. */
function keysOf(p: { upn: string | null; uln: string | null; surname: string; forename: string; birthDate: string }): string[] {
  const keys: string[] = [];
  if (p.upn) keys.push(matchKeyOf({ ...p, uln: null }));
  if (p.uln) keys.push(matchKeyOf({ ...p, upn: null }));
  keys.push(matchKeyOf({ ...p, upn: null, uln: null }));
  return keys;
}

interface ChildRow {
  id: string;
  upn: string | null;
  uln: string | null;
  nhs_number: string | null;
}

/** The writes for one import, inside its transaction; plain SQL, one person at a time. */
class Sen2Writer {
  private readonly teams = new Map<string, string>();
  private readonly workers = new Map<string, string>();

  constructor(
    private readonly tx: EntityManager,
    private readonly context: SubgraphContext,
    private readonly secret: string,
    private readonly today: string,
    private readonly counts: Counts,
    private readonly problems: Problem[],
  ) {}

  private async q<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.tx.getConnection().execute<T[]>(sql, params, 'all', this.tx.getTransactionContext());
  }

  /** UPN, else ULN, else surname + forename + birth date; a weaker key never takes a child whose stronger identifier differs. */
  private async findChild(p: { upn: string | null; uln: string | null; surname: string; forename: string; birthDate: string }): Promise<ChildRow | null> {
    if (p.upn) {
      const [row] = await this.q<ChildRow>('SELECT id, upn, uln, nhs_number FROM child WHERE upper(upn) = ? LIMIT 1', [p.upn.toUpperCase()]);
      if (row) return row;
    }
    if (p.uln) {
      const [row] = await this.q<ChildRow>('SELECT id, upn, uln, nhs_number FROM child WHERE uln = ? AND (upn IS NULL OR ? IS NULL OR upper(upn) = ?) LIMIT 1', [p.uln, p.upn, p.upn?.toUpperCase() ?? null]);
      if (row) return row;
    }
    const [row] = await this.q<ChildRow>(
      `SELECT id, upn, uln, nhs_number FROM child WHERE lower(surname) = lower(?) AND lower(forename) = lower(?) AND birth_date = ?
         AND (upn IS NULL OR CAST(? AS text) IS NULL OR upper(upn) = CAST(? AS text)) AND (uln IS NULL OR CAST(? AS text) IS NULL OR uln = CAST(? AS text)) LIMIT 1`,
      [p.surname.trim(), p.forename.trim(), p.birthDate, p.upn?.toUpperCase() ?? null, p.upn?.toUpperCase() ?? null, p.uln, p.uln],
    );
    return row ?? null;
  }

  async writePerson(p: Sen2Person, extra: CaseExtractRow | null): Promise<void> {
    const existing = await this.findChild(p);
    let childId: string;
    if (existing) {
      childId = existing.id;
      await this.q(
        `UPDATE child SET surname = ?, forename = ?, birth_date = ?, sex = ?, ethnicity = COALESCE(?, ethnicity), postcode = COALESCE(?, postcode),
           upn = COALESCE(?, upn), uln = COALESCE(?, uln) WHERE id = ?`,
        [p.surname, p.forename, p.birthDate, p.sex, p.ethnicity, p.postcode, p.upn, p.uln, childId],
      );
      this.counts.updated++;
    } else {
      const [row] = await this.q<{ id: string }>(
        'INSERT INTO child (surname, forename, birth_date, sex, ethnicity, postcode, upn, uln) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
        [p.surname, p.forename, p.birthDate, p.sex, p.ethnicity, p.postcode, p.upn, p.uln],
      );
      childId = row.id;
      this.counts.created++;
    }
    const fields = ['surname', 'forename', 'birthDate', 'sex', 'ethnicity', 'postcode', 'upn', 'uln', 'requests'];
    for (const request of p.requests) await this.writeRequest(childId, request);
    await this.q(
      `UPDATE child SET primary_need = (SELECT n.sen_type FROM ehc_plan e JOIN plan_sen_need n ON n.plan_id = e.id AND n.rank = 1
         WHERE e.child_id = child.id ORDER BY e.issue_date DESC LIMIT 1) WHERE id = ?`,
      [childId],
    );
    if (extra) fields.push(...(await this.applyExtract(childId, existing?.nhs_number ?? null, extra, `Person[${p.position}]`)));
    await auditWrite(this.tx, this.context, { entityType: 'Child', entityId: childId, fields });
  }

  /** A case-extract row for a child not in this return: it must match a child already in the database. */
  async writeExtractOnly(row: CaseExtractRow): Promise<void> {
    const existing = await this.findChild(row);
    if (!existing) {
      this.problems.push({ person: row.row, path: 'case-extract/upn', value: row.upn ?? row.uln ?? `${row.surname}, ${row.forename}, ${row.birthDate}`, rule: 'no child in this return or already held matches this row (UPN, ULN, or surname + forename + birth date)' });
      return;
    }
    const fields = await this.applyExtract(existing.id, existing.nhs_number, row, `case extract row ${row.row}`);
    this.counts.updated++;
    await auditWrite(this.tx, this.context, { entityType: 'Child', entityId: existing.id, fields });
  }

  private async applyExtract(childId: string, currentNhs: string | null, row: CaseExtractRow, where: string): Promise<string[]> {
    const fields: string[] = [];
    if (row.nhsNumber && row.nhsNumber !== currentNhs) {
      const [other] = await this.q<{ id: string }>('SELECT id FROM child WHERE nhs_number = ? AND id <> ?', [row.nhsNumber, childId]);
      if (other) {
        this.problems.push({ person: row.row, path: 'case-extract/nhs_number', value: row.nhsNumber, rule: `another child already held has this NHS number (matched ${where})` });
      } else {
        await this.q('UPDATE child SET nhs_number = ?, link_key = ? WHERE id = ?', [row.nhsNumber, linkKeyFor(row.nhsNumber, this.secret), childId]);
        fields.push('nhsNumber', 'linkKey');
      }
    }
    if (row.district) {
      await this.q('UPDATE child SET district = ? WHERE id = ?', [row.district, childId]);
      fields.push('district');
    }
    const teamId = row.team ? await this.teamId(row.team) : null;
    if (teamId) {
      await this.q('UPDATE child SET team_id = ? WHERE id = ?', [teamId, childId]);
      fields.push('team');
    }
    if (row.allocatedWorker || row.noWorkerReason) {
      const workerId = row.allocatedWorker && teamId ? await this.workerId(row.allocatedWorker, teamId) : null;
      const [current] = await this.q<{ id: string; caseworker_id: string | null; start_date: string; reason: string | null }>(
        `SELECT id, caseworker_id, start_date::text AS start_date, reason FROM worker_allocation WHERE child_id = ? AND end_date IS NULL ORDER BY start_date DESC LIMIT 1`,
        [childId],
      );
      const same = current && current.caseworker_id === workerId && (workerId !== null || current.reason === row.noWorkerReason);
      if (same) {
        if (!workerId) await this.q('UPDATE worker_allocation SET next_review_date = ? WHERE id = ?', [row.noWorkerReviewDate, current.id]);
      } else {
        if (current) {
          if (current.start_date >= this.today) await this.q('DELETE FROM worker_allocation WHERE id = ?', [current.id]);
          else await this.q('UPDATE worker_allocation SET end_date = ? WHERE id = ?', [addDays(this.today, -1), current.id]);
        }
        await this.q(
          'INSERT INTO worker_allocation (child_id, team_id, caseworker_id, start_date, decided_by, reason, next_review_date) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [childId, teamId, workerId, this.today, workerId ? null : 'Recorded in the case system (case extract)', workerId ? null : row.noWorkerReason, workerId ? null : row.noWorkerReviewDate],
        );
      }
      fields.push('workerAllocations');
    }
    return fields;
  }

  private async teamId(name: string): Promise<string> {
    const cached = this.teams.get(name.toLowerCase());
    if (cached) return cached;
    const [row] = await this.q<{ id: string }>('SELECT id FROM team WHERE lower(name) = lower(?)', [name]);
    const id = row?.id ?? (await this.q<{ id: string }>('INSERT INTO team (name, kind) VALUES (?, ?) RETURNING id', [name, /assess/i.test(name) ? 'FOCUSED_ASSESSMENT' : 'PLAN_AND_REVIEW']))[0].id;
    this.teams.set(name.toLowerCase(), id);
    return id;
  }

  private async workerId(name: string, teamId: string): Promise<string> {
    const key = `${teamId}|${name.toLowerCase()}`;
    const cached = this.workers.get(key);
    if (cached) return cached;
    const [row] = await this.q<{ id: string }>('SELECT id FROM caseworker WHERE lower(name) = lower(?) AND team_id = ?', [name, teamId]);
    const id = row?.id ?? (await this.q<{ id: string }>('INSERT INTO caseworker (name, team_id) VALUES (?, ?) RETURNING id', [name, teamId]))[0].id;
    this.workers.set(key, id);
    return id;
  }

  private async writeRequest(childId: string, r: Sen2Person['requests'][number]): Promise<void> {
    const [existing] = await this.q<{ id: string }>('SELECT id FROM ehcna_request WHERE child_id = ? AND received_date = ?', [childId, r.receivedDate]);
    let requestId: string;
    if (existing) {
      requestId = existing.id;
      await this.q(
        `UPDATE ehcna_request SET outcome = ?, outcome_date = ?, mediation = ?, tribunal = ?, source = CASE WHEN ? THEN 'YOUNG_PERSON' ELSE source END WHERE id = ?`,
        [r.outcome, r.outcomeDate, r.mediation, r.tribunal, r.youngPerson, requestId],
      );
    } else {
      requestId = (
        await this.q<{ id: string }>('INSERT INTO ehcna_request (child_id, received_date, source, outcome, outcome_date, mediation, tribunal) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id', [
          childId,
          r.receivedDate,
          r.youngPerson ? 'YOUNG_PERSON' : null,
          r.outcome,
          r.outcomeDate,
          r.mediation,
          r.tribunal,
        ])
      )[0].id;
    }
    const a = r.assessment;
    if (!a) {
      if (r.activePlan) await this.writeActivePlan(childId, null, r.activePlan);
      return;
    }
    const [existingA] = await this.q<{ id: string }>('SELECT id FROM ehc_needs_assessment WHERE request_id = ?', [requestId]);
    let assessmentId: string;
    if (existingA) {
      assessmentId = existingA.id;
      await this.q('UPDATE ehc_needs_assessment SET outcome = ?, outcome_date = ?, mediation = ?, tribunal = ?, week20exception = ? WHERE id = ?', [a.outcome, a.outcomeDate, a.mediation, a.tribunal, a.week20Exception, assessmentId]);
    } else {
      assessmentId = (
        await this.q<{ id: string }>('INSERT INTO ehc_needs_assessment (request_id, child_id, outcome, outcome_date, mediation, tribunal, week20exception) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id', [
          requestId,
          childId,
          a.outcome,
          a.outcomeDate,
          a.mediation,
          a.tribunal,
          a.week20Exception,
        ])
      )[0].id;
    }
    const plan = a.plan;
    if (!plan) {
      if (r.activePlan) await this.writeActivePlan(childId, null, r.activePlan);
      return;
    }
    const [existingP] = await this.q<{ id: string }>('SELECT id FROM ehc_plan WHERE assessment_id = ?', [assessmentId]);
    let planId: string;
    if (existingP) {
      planId = existingP.id;
      await this.q('UPDATE ehc_plan SET issue_date = ?, personal_budget = ?, cease_date = ?, cease_reason = ? WHERE id = ?', [plan.startDate, plan.personalBudget, plan.ceaseDate, plan.ceaseReason, planId]);
      await this.recomputeDueDates(planId);
    } else {
      planId = (
        await this.q<{ id: string }>('INSERT INTO ehc_plan (child_id, assessment_id, issue_date, personal_budget, cease_date, cease_reason) VALUES (?, ?, ?, ?, ?, ?) RETURNING id', [
          childId,
          assessmentId,
          plan.startDate,
          plan.personalBudget,
          plan.ceaseDate,
          plan.ceaseReason,
        ])
      )[0].id;
    }
    if (!r.activePlan && plan.placements.length) await this.replacePlacements(planId, plan.placements);
    if (r.activePlan) await this.writeActivePlan(childId, { id: planId, startDate: plan.startDate, placements: plan.placements }, r.activePlan);
  }

  private async replacePlacements(planId: string, placements: Sen2Placement[]): Promise<void> {
    await this.q('DELETE FROM plan_placement WHERE plan_id = ?', [planId]);
    for (const pl of placements) {
      await this.q('INSERT INTO plan_placement (plan_id, rank, urn, ukprn, sen_setting, sen_unit, resourced_provision) VALUES (?, ?, ?, ?, ?, ?, ?)', [planId, pl.rank, pl.urn, pl.ukprn, pl.senSetting, pl.senUnit, pl.resourcedProvision]);
    }
  }

  /** Current placements, needs and the latest review: onto this request's plan, or else the child's latest plan held. */
  private async writeActivePlan(childId: string, plan: { id: string; startDate: string; placements: Sen2Placement[] } | null, active: Sen2ActivePlan): Promise<void> {
    if (!plan) {
      const [latest] = await this.q<{ id: string; issue: string }>('SELECT id, issue_date::text AS issue FROM ehc_plan WHERE child_id = ? ORDER BY issue_date DESC LIMIT 1', [childId]);
      if (!latest) return;
      plan = { id: latest.id, startDate: latest.issue, placements: [] };
    }
    const planId = plan.id;
    const placements = active.placements.length ? active.placements : plan.placements;
    if (placements.length) await this.replacePlacements(planId, placements);
    if (active.needs.length) {
      await this.q('DELETE FROM plan_sen_need WHERE plan_id = ?', [planId]);
      for (const n of active.needs) await this.q('INSERT INTO plan_sen_need (plan_id, sen_type, rank) VALUES (?, ?, ?)', [planId, n.senType, n.rank]);
    }
    if (active.reviewMeeting) {
      const [existingR] = await this.q<{ id: string }>('SELECT id FROM annual_review WHERE plan_id = ? AND meeting_date = ?', [planId, active.reviewMeeting]);
      if (existingR) {
        await this.q('UPDATE annual_review SET outcome = ?, decision_date = ? WHERE id = ?', [active.reviewOutcome, active.lastReview, existingR.id]);
      } else {
        const [prev] = await this.q<{ last: string | null }>('SELECT max(meeting_date)::text AS last FROM annual_review WHERE plan_id = ? AND meeting_date < ?', [planId, active.reviewMeeting]);
        const from = prev?.last && prev.last > plan.startDate ? prev.last : plan.startDate;
        await this.q('INSERT INTO annual_review (plan_id, due_date, meeting_date, outcome, decision_date) VALUES (?, ?, ?, ?, ?)', [planId, addMonths(from, 12), active.reviewMeeting, active.reviewOutcome, active.lastReview]);
        await this.recomputeDueDates(planId);
      }
    }
  }

  /**
   * Every review is due 12 months after the meeting before it (or the plan's issue): a return imported out of
   * order, or a changed issue date, must not leave a stale due date (AR_OVERDUE reads them).
   */
  private async recomputeDueDates(planId: string): Promise<void> {
    await this.q(
      `UPDATE annual_review v SET due_date = (COALESCE(x.previous, e.issue_date) + interval '12 months')::date
       FROM (SELECT id, lag(meeting_date) OVER (ORDER BY meeting_date NULLS LAST, due_date) AS previous FROM annual_review WHERE plan_id = ?) x, ehc_plan e
       WHERE v.id = x.id AND e.id = v.plan_id AND v.due_date IS DISTINCT FROM (COALESCE(x.previous, e.issue_date) + interval '12 months')::date`,
      [planId],
    );
  }
}
