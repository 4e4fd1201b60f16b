/**
 * The audit trail for the auditor: `/audit` (the three data controllers' trails
 * as one list, newest first, filtered by user, record, action and date) and
 * `/audit.csv` (every entry the filter matches, as CSV).
 */
import type { PageContext, Route } from '../context';
import { isIsoDate } from '../explorer/request';
import { auditCsv } from './export';
import { AUDIT_SOURCES, decodeMergedCursor, encodeMergedCursor, mergeAuditPages, type AuditEntry, type AuditPage, type AuditSource, type MergedCursor } from './merge';

export const AUDITORS = ['auditor'] as const;

const ENTRY = 'id source occurredAt userId roles org operationName requestId action entityType entityId recordIds fields';
const TRAIL_QUERY = `query AuditTrail($filter: AuditEventFilter, $first: Int!, $casework: String, $health: String, $governance: String, $withCasework: Boolean!, $withHealth: Boolean!, $withGovernance: Boolean!) {
  casework: caseworkAuditEvents(filter: $filter, first: $first, after: $casework) @include(if: $withCasework) { edges { cursor node { ${ENTRY} } } pageInfo { hasNextPage } }
  health: healthAuditEvents(filter: $filter, first: $first, after: $health) @include(if: $withHealth) { edges { cursor node { ${ENTRY} } } pageInfo { hasNextPage } }
  governance: governanceAuditEvents(filter: $filter, first: $first, after: $governance) @include(if: $withGovernance) { edges { cursor node { ${ENTRY} } } pageInfo { hasNextPage } }
}`;

/** Record types whose reads and writes the trails hold, for the list to choose from (the subgraphs' person-level types and written entities). */
const RECORD_TYPES = ['Child', 'EhcnaRequest', 'EhcNeedsAssessment', 'EhcPlan', 'AnnualReview', 'WorkerAllocation', 'Referral', 'SpaceEnrolment', 'HealthAdvice', 'ProgressUpdate', 'Escalation', 'Meeting', 'PriorityAction', 'FamilyFeedback'];

export interface AuditQuestion {
  userId: string;
  entityType: string;
  entityId: string;
  action: string;
  from: string;
  to: string;
}

const FIELDS: Array<keyof AuditQuestion> = ['userId', 'entityType', 'entityId', 'action', 'from', 'to'];

export function readAuditQuestion(params: URLSearchParams): { question: AuditQuestion; problems: Array<{ field: string; text: string }> } {
  const get = (k: string) => (params.get(k) ?? '').trim();
  const question: AuditQuestion = { userId: get('userId'), entityType: get('entityType'), entityId: get('entityId'), action: get('action'), from: get('from'), to: get('to') };
  const problems: Array<{ field: string; text: string }> = [];
  if (question.action && !['READ', 'WRITE'].includes(question.action)) problems.push({ field: 'action', text: 'Choose reads or writes from the list' });
  if (question.from && !isIsoDate(question.from)) problems.push({ field: 'from', text: 'From must be a real date, like 2026-11-01' });
  if (question.to && !isIsoDate(question.to)) problems.push({ field: 'to', text: 'To must be a real date, like 2026-11-30' });
  if (question.from && question.to && isIsoDate(question.from) && isIsoDate(question.to) && question.from > question.to) problems.push({ field: 'to', text: 'To must be the same as or after From' });
  if (question.entityId && !question.entityType) problems.push({ field: 'entityType', text: 'Choose the type of record the identifier belongs to' });
  return { question, problems };
}

function apiFilter(q: AuditQuestion): Record<string, string> | null {
  const f: Record<string, string> = {};
  if (q.userId) f.userId = q.userId;
  if (q.entityType) f.entityType = q.entityType;
  if (q.entityId) f.entityId = q.entityId;
  if (q.action) f.action = q.action;
  if (q.from) f.from = q.from;
  if (q.to) f.to = q.to;
  return Object.keys(f).length ? f : null;
}

type TrailAnswer = Partial<Record<AuditSource, AuditPage | null>>;

/** One merged page of the trails after `from`, and the errors any trail answered with. */
async function trailPage(ctx: PageContext, q: AuditQuestion, from: MergedCursor, size: number): Promise<{ entries: AuditEntry[]; next: MergedCursor | null; errors: string[] }> {
  const variables: Record<string, unknown> = { filter: apiFilter(q), first: size };
  for (const s of AUDIT_SOURCES) {
    variables[s] = from[s] && from[s] !== 'end' ? from[s] : null;
    variables[`with${s[0].toUpperCase()}${s.slice(1)}`] = from[s] !== 'end';
  }
  const answer = await ctx.api<TrailAnswer>(TRAIL_QUERY, variables);
  const pages: TrailAnswer = {};
  for (const s of AUDIT_SOURCES) pages[s] = from[s] === 'end' ? null : (answer.data?.[s] ?? null);
  const { entries, next } = mergeAuditPages(pages, from, size);
  return { entries, next, errors: answer.errors.map((e) => e.message) };
}

const PAGE_SIZE = 50;
/** The export's ceiling: a filter that matches more is narrowed first (the page says so). */
export const EXPORT_LIMIT = 20_000;

function questionParams(q: AuditQuestion): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of FIELDS) if (q[k]) p.set(k, q[k]);
  return p;
}

async function auditPage(ctx: PageContext): Promise<void> {
  if (!ctx.session.roles.some((r) => (AUDITORS as readonly string[]).includes(r))) {
    return ctx.render('message.njk', { title: 'Audit trail', notice: { title: 'Important', text: 'Only the auditor reads the audit trail.' }, paragraphs: [] }, 403);
  }
  const { question, problems } = readAuditQuestion(ctx.url.searchParams);
  const from = decodeMergedCursor(ctx.url.searchParams.get('after')) ?? {};
  let entries: AuditEntry[] = [];
  let next: MergedCursor | null = null;
  let errors: string[] = [];
  if (!problems.length) ({ entries, next, errors } = await trailPage(ctx, question, from, PAGE_SIZE));
  const params = questionParams(question);
  const nextParams = new URLSearchParams(params);
  if (next) nextParams.set('after', encodeMergedCursor(next));
  ctx.render('audit.njk', {
    title: 'Audit trail',
    errorSummary: problems.map((p) => ({ text: p.text, href: `#${p.field}` })),
    problems: Object.fromEntries(problems.map((p) => [p.field, p.text])),
    partial: errors,
    question,
    recordTypes: [{ value: '', text: 'Any' }, ...RECORD_TYPES.map((t) => ({ value: t, text: t, selected: t === question.entityType }))],
    actions: [{ value: '', text: 'Reads and writes' }, { value: 'READ', text: 'Reads only', selected: question.action === 'READ' }, { value: 'WRITE', text: 'Writes only', selected: question.action === 'WRITE' }],
    entries: entries.map((e) => ({ ...e, when: e.occurredAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC') })),
    continuing: ctx.url.searchParams.has('after'),
    nextHref: next ? `/audit?${nextParams}` : null,
    firstHref: `/audit?${params}`,
    csvHref: `/audit.csv?${params}`,
    exportLimit: EXPORT_LIMIT.toLocaleString('en-GB'),
  });
}

async function auditExport(ctx: PageContext): Promise<void> {
  const plain = (status: number, text: string) => void ctx.res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(text);
  const { question, problems } = readAuditQuestion(ctx.url.searchParams);
  if (problems.length) return plain(400, problems.map((p) => `${p.field}: ${p.text}.`).join('\n') + '\n');
  const all: AuditEntry[] = [];
  let from: MergedCursor | null = {};
  while (from && all.length < EXPORT_LIMIT) {
    const page: Awaited<ReturnType<typeof trailPage>> = await trailPage(ctx, question, from, 500);
    // A trail that did not answer makes the export incomplete: refuse it rather than hand over part of the record.
    if (page.errors.length) {
      const forbidden = page.errors.some((e) => /Forbidden/.test(e));
      return plain(forbidden ? 403 : 502, `${page.errors.join(' ')}\n`);
    }
    all.push(...page.entries);
    from = page.next;
  }
  if (from) return plain(413, `More than ${EXPORT_LIMIT} entries match: narrow the filter (a user, a record or fewer days).\n`);
  const day = new Date().toISOString().slice(0, 10);
  ctx.res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="audit-trail-${day}.csv"`, 'cache-control': 'no-store' });
  ctx.res.end(auditCsv(all));
}

export const auditRoutes: Route[] = [
  { method: 'GET', path: /^\/audit$/, handle: auditPage },
  { method: 'GET', path: /^\/audit\.csv$/, handle: auditExport, bearer: true },
];
