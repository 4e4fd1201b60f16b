/**
 * A child's timeline, for the roles that read casework records (caseworkers and
 * the designated clinical officer): `/children` to find the child (by district
 * and primary need, a page at a time) and `/children/:id/timeline`. Each read
 * goes through the gateway with the person's own token, so the casework and
 * health subgraphs audit it as they audit every person-level read.
 */
import type { PageContext, Route } from '../context';
import { NotFound } from '../errors';
import { enumChoices } from '../explorer/enums';
import { longDate } from '../views';
import { assembleTimeline, deadlineSummary, STATUS_WORDS, type DeadlineStatus, type TimelineChild } from './assemble';

/** Roles that read casework records about a person (the API's CASEWORK_PERSON_READ). */
export const CASEWORK_READERS = ['la_caseworker', 'designated_clinical_officer'] as const;

const CHILDREN_QUERY = `query ChildrenToChoose($filter: ChildFilter, $first: Int!, $after: String) {
  children(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id forename surname birthDate district primaryNeed } }
  districts(first: 100) { nodes { name } }
}`;

const TIMELINE_QUERY = `query ChildTimeline($id: ID!) {
  child(id: $id) {
    id forename surname birthDate district primaryNeed
    requests { id receivedDate outcome outcomeDate decisionDueDate decisionWithinSixWeeks }
    assessments {
      id outcome outcomeDate draftPlanDate week20Exception exceptionReason finalPlanDueDate
      epAdviceAskedDate epAdviceReturnedDate epAdviceWithinSixWeeks
      healthAdviceAskedDate healthAdviceReturnedDate healthAdviceWithinSixWeeks
      socialCareAdviceAskedDate socialCareAdviceReturnedDate socialCareAdviceWithinSixWeeks
      request { id }
      healthAdvice { askedDate returnedDate dueDate returnedWithinSixWeeks }
    }
    ehcPlans {
      id issueDate ceaseDate ceaseReason weeksToIssue issuedWithinTwentyWeeks nextReviewDueDate reviewOverdue assessment { id }
      annualReviews { id dueDate meetingDate outcome decisionDate decisionDueDate decisionWithinFourWeeks }
    }
    healthReferrals { id pathway receivedDate firstContactDate secondContactDate dischargeDate service { name } }
  }
}`;

interface ChildHeader {
  id: string;
  forename: string;
  surname: string;
  birthDate: string;
  district: string | null;
  primaryNeed: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const needWords = () => new Map(enumChoices('SenType').map((c) => [c.value, c.text]));

function refuse(ctx: PageContext, title: string): void {
  ctx.render('message.njk', { title, notice: { title: 'Important', text: 'Your role does not read children\'s casework records.' }, paragraphs: [] }, 403);
}

async function children(ctx: PageContext): Promise<void> {
  if (!ctx.session.roles.some((r) => (CASEWORK_READERS as readonly string[]).includes(r))) return refuse(ctx, 'Children');
  const needs = enumChoices('SenType');
  const district = ctx.url.searchParams.get('district') ?? '';
  const primaryNeed = ctx.url.searchParams.get('primaryNeed') ?? '';
  const after = ctx.url.searchParams.get('after') || null;
  const filter: Record<string, string> = {};
  const problems: Array<{ text: string; href: string }> = [];
  if (primaryNeed) {
    if (needs.some((n) => n.value === primaryNeed)) filter.primaryNeed = primaryNeed;
    else problems.push({ text: 'Choose a primary need from the list', href: '#primaryNeed' });
  }
  if (district) filter.district = district;
  const answer = await ctx.api<{ children: { totalCount: number | null; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: ChildHeader[] } | null; districts: { nodes: Array<{ name: string }> } | null }>(
    CHILDREN_QUERY,
    { filter: Object.keys(filter).length ? filter : null, first: 25, after: problems.length ? null : after },
  );
  const districts = answer.data?.districts?.nodes.map((d) => d.name) ?? [];
  if (district && districts.length && !districts.includes(district)) problems.push({ text: 'Choose a district from the list', href: '#district' });
  const words = needWords();
  const list = answer.data?.children;
  const next = new URLSearchParams(ctx.url.searchParams);
  if (list?.pageInfo.endCursor) next.set('after', list.pageInfo.endCursor);
  const first = new URLSearchParams(ctx.url.searchParams);
  first.delete('after');
  ctx.render('children.njk', {
    title: 'Children',
    errorSummary: problems,
    partial: problems.length ? [] : answer.errors.map((e) => e.message),
    districts: [{ value: '', text: 'All' }, ...districts.map((d) => ({ value: d, text: d, selected: d === district }))],
    needs: [{ value: '', text: 'All' }, ...needs.map((n) => ({ ...n, selected: n.value === primaryNeed }))],
    children: problems.length ? [] : (list?.nodes ?? []).map((c) => ({ ...c, born: longDate(c.birthDate), need: c.primaryNeed ? (words.get(c.primaryNeed) ?? c.primaryNeed) : 'None recorded' })),
    total: list?.totalCount ?? null,
    nextHref: list?.pageInfo.hasNextPage && !problems.length ? `/children?${next}` : null,
    firstHref: after ? `/children?${first}` : null,
  });
}

const STATUS_TAG: Record<DeadlineStatus, string> = { met: 'govuk-tag--green', missed: 'govuk-tag--red', overdue: 'govuk-tag--red', due: 'govuk-tag--yellow', exception: 'govuk-tag--grey' };

async function timeline(ctx: PageContext): Promise<void> {
  if (!ctx.session.roles.some((r) => (CASEWORK_READERS as readonly string[]).includes(r))) return refuse(ctx, 'A child\'s timeline');
  const id = ctx.params.id;
  if (!UUID.test(id)) throw new NotFound();
  const answer = await ctx.api<{ child: (ChildHeader & TimelineChild) | null }>(TIMELINE_QUERY, { id });
  const child = answer.data?.child;
  if (!child) {
    if (answer.errors.some((e) => e.extensions?.code === 'FORBIDDEN')) return refuse(ctx, 'A child\'s timeline');
    throw new NotFound();
  }
  const today = new Date().toISOString().slice(0, 10);
  const events = assembleTimeline(child, today);
  const summary = deadlineSummary(events);
  // A refused part (health referrals for a caseworker) is said in words; anything else is a problem to show.
  // The gateway reports health's refusal at the child itself (path ["child"], "may not read Child records")
  // while the council's part of the child answers: in this query only the referrals come from health that way.
  const aboutReferrals = (e: (typeof answer.errors)[number]) => Boolean(e.path?.includes('healthReferrals')) || /\bhealthReferrals\b/.test(e.message) || (e.path?.length === 1 && e.path[0] === 'child');
  const refusedHealth = child.healthReferrals === null && answer.errors.some((e) => aboutReferrals(e) && (e.extensions?.code === 'FORBIDDEN' || /Forbidden/.test(e.message)));
  const otherErrors = answer.errors.filter((e) => !(refusedHealth && aboutReferrals(e))).map((e) => e.message);
  const words = needWords();
  ctx.render('timeline.njk', {
    title: `${child.forename} ${child.surname}: timeline`,
    child: { ...child, born: longDate(child.birthDate), need: child.primaryNeed ? (words.get(child.primaryNeed) ?? child.primaryNeed) : 'None recorded' },
    partial: otherErrors,
    refusedHealth,
    noHealth: !refusedHealth && child.healthReferrals === null,
    today: longDate(today),
    summary: (['met', 'missed', 'overdue', 'due', 'exception'] as DeadlineStatus[]).map((s) => ({ status: s, word: STATUS_WORDS[s], tag: STATUS_TAG[s], count: summary[s] })).filter((s) => s.count),
    events: events.map((e) => ({
      ...e,
      when: longDate(e.date),
      future: e.date > today,
      deadline: e.deadline ? { ...e.deadline, word: STATUS_WORDS[e.deadline.status], tag: STATUS_TAG[e.deadline.status], due: longDate(e.deadline.dueDate) } : null,
    })),
  });
}

export const timelineRoutes: Route[] = [
  { method: 'GET', path: /^\/children$/, handle: children },
  { method: 'GET', path: /^\/children\/(?<id>[^/]+)\/timeline$/, handle: timeline },
];
