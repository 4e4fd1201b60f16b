/**
 * A Priority Action's detail: `/priority-actions/:reference`. Milestones,
 * progress updates, the status rule's reasons; board members record a progress
 * update and raise an escalation from here. A refused write comes back with the
 * API's field errors in an error summary and the person's input kept.
 */
import type { PageContext, Route } from '../context';
import { NotFound, refusal } from '../errors';
import { fieldProblems, type GraphQLError } from '../gateway-client';
import { GOVERNANCE_WRITERS, mayUse } from '../nav';
import { isDate, today } from './dates';
import { ACTION_QUERY, RAISE_ESCALATION, RECORD_PROGRESS } from './priority-action-query';

type Values = Record<string, string>;
type FieldErrors = Record<string, string>;

interface ActionData {
  priorityAction: { id: string; reference: string; title: string; ownerOrganisation: string; [key: string]: unknown } | null;
  governanceBodies: { nodes: Array<{ code: string; name: string }> } | null;
}

const PROGRESS_FIELDS = ['recordedDate', 'currentPosition', 'nextSteps'] as const;
const ESCALATION_FIELDS = ['bodyCode', 'issue', 'raisedBy', 'raisedByOrganisation', 'raisedDate', 'responseDueDate'] as const;

/** The form a field belongs to, so an error links to the right input. */
const FIELD_IDS: Record<string, Record<string, string>> = {
  progress: { recordedDate: 'recordedDate', currentPosition: 'currentPosition', nextSteps: 'nextSteps', actionId: 'currentPosition' },
  escalation: { bodyCode: 'bodyCode', issue: 'issue', raisedBy: 'raisedBy', raisedByOrganisation: 'raisedByOrganisation', raisedDate: 'raisedDate', responseDueDate: 'responseDueDate', actionId: 'issue' },
};

/**
 * The API's errors as field errors: BAD_USER_INPUT problems name `input.<field>`;
 * a value the schema itself refuses names it as `at "input.<field>"`.
 */
export function errorsByField(errors: readonly GraphQLError[], form: 'progress' | 'escalation'): { fields: FieldErrors; other: string[] } {
  const fields: FieldErrors = {};
  const other: string[] = [];
  const problems = fieldProblems(errors);
  for (const p of problems) {
    const name = p.field.replace(/^input\./, '').split('.')[0];
    const id = FIELD_IDS[form][name];
    if (id && !fields[id]) fields[id] = p.message.replace(/^input\.[A-Za-z.]+: /, '');
    else if (!id) other.push(p.message);
  }
  for (const e of errors) {
    if (e.extensions?.code === 'BAD_USER_INPUT' && (e.extensions.problems || e.extensions.field)) continue;
    const m = /at "input\.([A-Za-z]+)"/.exec(e.message);
    if (m && FIELD_IDS[form][m[1]]) fields[FIELD_IDS[form][m[1]]] ??= 'Enter a valid value';
    else other.push(e.message);
  }
  return { fields, other };
}

const LABELS: Record<string, string> = {
  recordedDate: 'Date of the update',
  currentPosition: 'Current position',
  nextSteps: 'Next steps',
  bodyCode: 'Escalate to',
  issue: 'Issue',
  raisedBy: 'Raised by',
  raisedByOrganisation: 'Organisation raising it',
  raisedDate: 'Date raised',
  responseDueDate: 'Response due by',
};

function summary(fields: FieldErrors, other: string[]) {
  return [...Object.entries(fields).map(([id, text]) => ({ href: `#${id}`, text: `${LABELS[id] ?? id}: ${text}` })), ...other.map((text) => ({ href: '#main-content', text }))];
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

async function show(ctx: PageContext, extra: { progress?: Values; escalation?: Values; progressErrors?: FieldErrors; escalationErrors?: FieldErrors; errorSummary?: Array<{ href: string; text: string }>; status?: number } = {}): Promise<void> {
  const asAt = ctx.url.searchParams.get('asAt');
  const answer = await ctx.api<ActionData>(ACTION_QUERY, { reference: ctx.params.reference, asOf: asAt && isDate(asAt) ? asAt : null });
  const action = answer.data?.priorityAction;
  if (!action) {
    if (answer.errors.length) return ctx.render('message.njk', refusal(answer.errors), answer.errors.some((e) => e.extensions?.code === 'FORBIDDEN') ? 403 : 502);
    throw new NotFound();
  }
  const day = today();
  const canWrite = mayUse(ctx.session.roles, GOVERNANCE_WRITERS);
  ctx.render(
    'priority-action.njk',
    {
      title: `${action.reference}: ${action.title}`,
      action,
      bodies: answer.data?.governanceBodies?.nodes ?? [],
      canWrite,
      recorded: ctx.url.searchParams.get('recorded'),
      progress: extra.progress ?? { recordedDate: day, currentPosition: '', nextSteps: '' },
      escalation: extra.escalation ?? { raisedBy: ctx.session.user, raisedByOrganisation: ['LA', 'ICB'].includes(ctx.session.org) ? ctx.session.org : 'JOINT', raisedDate: day, responseDueDate: addDays(day, 14), bodyCode: '', issue: '' },
      progressErrors: extra.progressErrors ?? {},
      escalationErrors: extra.escalationErrors ?? {},
      errorSummary: extra.errorSummary ?? [],
      partial: answer.errors.length ? answer.errors.map((e) => e.message) : null,
      organisations: ['LA', 'ICB', 'JOINT'],
    },
    extra.status,
  );
}

function pick(form: URLSearchParams, names: readonly string[]): Values {
  return Object.fromEntries(names.map((n) => [n, (form.get(n) ?? '').trim()]));
}

/** Checks the page can make before asking the API: a date the Date scalar would refuse is named here. */
function dateErrors(values: Values, names: readonly string[]): FieldErrors {
  const out: FieldErrors = {};
  for (const n of names) if (!values[n]) out[n] = 'Enter a date'; else if (!isDate(values[n])) out[n] = 'Enter a real date, like 2026-03-31';
  return out;
}

async function actionId(ctx: PageContext): Promise<string> {
  const answer = await ctx.api<ActionData>(`query ActionId($reference: String!) { priorityAction(reference: $reference) { id } }`, { reference: ctx.params.reference });
  const id = answer.data?.priorityAction?.id;
  if (!id) throw new NotFound();
  return id;
}

async function recordProgress(ctx: PageContext): Promise<void> {
  const form = await ctx.form();
  const values = pick(form, PROGRESS_FIELDS);
  if (!mayUse(ctx.session.roles, GOVERNANCE_WRITERS)) return ctx.render('message.njk', { title: 'You cannot record progress', paragraphs: ['Only board members record progress updates.'] }, 403);
  const local = dateErrors(values, ['recordedDate']);
  let errors = { fields: local, other: [] as string[] };
  if (!Object.keys(local).length) {
    const answer = await ctx.api(RECORD_PROGRESS, { input: { actionId: await actionId(ctx), ...values } });
    if (!answer.errors.length) return ctx.redirect(`/priority-actions/${encodeURIComponent(ctx.params.reference)}?recorded=progress#progress-updates`);
    errors = errorsByField(answer.errors, 'progress');
  }
  return show(ctx, { progress: values, progressErrors: errors.fields, errorSummary: summary(errors.fields, errors.other), status: 400 });
}

async function raiseEscalation(ctx: PageContext): Promise<void> {
  const form = await ctx.form();
  const values = pick(form, ESCALATION_FIELDS);
  if (!mayUse(ctx.session.roles, GOVERNANCE_WRITERS)) return ctx.render('message.njk', { title: 'You cannot raise an escalation', paragraphs: ['Only board members raise escalations.'] }, 403);
  const local = dateErrors(values, ['raisedDate', 'responseDueDate']);
  if (!['LA', 'ICB', 'JOINT'].includes(values.raisedByOrganisation)) local.raisedByOrganisation = 'Choose the organisation raising it';
  let errors = { fields: local, other: [] as string[] };
  if (!Object.keys(local).length) {
    const answer = await ctx.api(RAISE_ESCALATION, { input: { actionId: await actionId(ctx), ...values } });
    if (!answer.errors.length) return ctx.redirect(`/priority-actions/${encodeURIComponent(ctx.params.reference)}?recorded=escalation#escalate`);
    errors = errorsByField(answer.errors, 'escalation');
  }
  return show(ctx, { escalation: values, escalationErrors: errors.fields, errorSummary: summary(errors.fields, errors.other), status: 400 });
}

const REF = '(?<reference>[A-Za-z0-9.-]{1,32})';
export const priorityActionRoutes: Route[] = [
  { method: 'GET', path: new RegExp(`^/priority-actions/${REF}$`), handle: (ctx) => show(ctx) },
  { method: 'POST', path: new RegExp(`^/priority-actions/${REF}/progress-updates$`), handle: recordProgress },
  { method: 'POST', path: new RegExp(`^/priority-actions/${REF}/escalations$`), handle: raiseEscalation },
];
