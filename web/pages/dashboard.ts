/** The assurance dashboard: `/` (and `/?asAt=YYYY-MM-DD` for another date). */
import type { PageContext, Route } from '../context';
import { GOVERNANCE_READERS, mayUse, navFor } from '../nav';
import { figure, longDate } from '../views';
import { DASHBOARD_QUERY } from './dashboard-query';
import { isDate, monthsBefore } from './dates';
import { comparatorRows, seriesFigure, shownValue, type ComparatorIn, type MeasurePointIn } from './kpi-view';

interface Card {
  name: string;
  ownerOrganisation: string;
  value: number | null;
  periodStart: string;
  periodEnd: string;
  suppressed: boolean;
  target: number | null;
  trajectoryValue: number | null;
  rag: string;
  ragReason: string | null;
  trend: string;
  kpi: {
    measureCode: string;
    statisticalNeighbours: string[];
    trajectory: Array<{ periodEnd: string; value: number }>;
    caseworkMeasure: { unit: string; series: MeasurePointIn[] } | null;
    healthMeasure: { unit: string; series: MeasurePointIn[] } | null;
    comparators: ComparatorIn[];
  };
}

interface Dashboard {
  assuranceDashboard: {
    asOf: string;
    kpiCards: Card[];
    priorityActionPlan: Array<{ area: { reference: string; title: string }; byStatus: Array<{ status: string; count: number }> }>;
    actionsNeedingAttention: Array<{ status: string; reasons: string[]; latestNextSteps: string | null; latestUpdateDate: string | null; action: { reference: string; title: string; ownerOrganisation: string; leadRole: string; progressUpdates: { nodes: Array<{ recordedDate: string; currentPosition: string; nextSteps: string }> } } }>;
    overdueEscalations: unknown[];
    nextMeetings: unknown[];
    nextReviews: unknown[];
    familyVoiceThemes: unknown[];
  } | null;
  familyFeedback: { nodes: unknown[] } | null;
}

const STATUSES = ['OFF_TRACK', 'AT_RISK', 'ON_TRACK', 'COMPLETE'];

export async function cardView(card: Card) {
  const measure = card.kpi.caseworkMeasure ?? card.kpi.healthMeasure;
  const unit = measure?.unit ?? '';
  const chart = await seriesFigure(card.name, measure?.series ?? [], card.kpi.trajectory, unit, { width: 320, height: 140 });
  return {
    ...card,
    code: card.kpi.measureCode,
    shownValue: shownValue(card.value, card.suppressed, unit),
    dataValue: card.suppressed || card.value === null ? '' : String(card.value),
    shownTarget: card.target === null ? 'None set' : figure(card.target, unit),
    shownTrajectory: card.trajectoryValue === null ? 'None for this period' : figure(card.trajectoryValue, unit),
    period: `${longDate(card.periodStart)} to ${longDate(card.periodEnd)}`,
    comparators: comparatorRows(card.kpi.comparators, card.kpi.statisticalNeighbours, unit),
    chart,
  };
}

async function dashboard(ctx: PageContext): Promise<void> {
  if (!mayUse(ctx.session.roles, GOVERNANCE_READERS)) {
    const links = navFor(ctx.session.roles, ctx.url.pathname).filter((l) => l.href !== '/');
    return ctx.render('message.njk', { title: 'Your pages', paragraphs: links.length ? ['Your role opens these pages:'] : ['Your role does not include the partnership\'s dashboards.'], links });
  }
  const asAtParam = ctx.url.searchParams.get('asAt') ?? '';
  const errorSummary: Array<{ text: string; href: string }> = [];
  let asOf: string | null = null;
  if (asAtParam) {
    if (isDate(asAtParam)) asOf = asAtParam;
    else errorSummary.push({ text: 'Date must be a real date, like 2026-03-31', href: '#asAt' });
  }
  const to = asOf ?? new Date().toISOString().slice(0, 10);
  return ctx.stream({ title: 'Assurance dashboard', errorSummary }, async () => {
    const answer = await ctx.api<Dashboard>(DASHBOARD_QUERY, { asOf, from: monthsBefore(to, 24), to });
    const d = answer.data?.assuranceDashboard;
    if (!d) return { template: 'stream-problem.njk', data: { problemTitle: 'Assurance dashboard', problemText: answer.errors[0]?.message ?? 'The dashboard could not be loaded.' } };
    const cards = await Promise.all(d.kpiCards.map(cardView));
    const ragCounts = ['RED', 'AMBER', 'GREEN', 'GREY'].map((rag) => ({ rag, count: cards.filter((c) => c.rag === rag).length }));
    const plan = d.priorityActionPlan.map((a) => ({ ...a, counts: STATUSES.map((s) => a.byStatus.find((b) => b.status === s)?.count ?? 0) }));
    return {
      template: 'dashboard-body.njk',
      data: {
        asOf: d.asOf,
        asAtInput: asAtParam,
        errorSummary,
        partial: answer.errors.length ? answer.errors.map((e) => e.message) : null,
        cards,
        ragCounts,
        statuses: STATUSES,
        plan,
        attention: d.actionsNeedingAttention,
        escalations: d.overdueEscalations,
        meetings: d.nextMeetings,
        reviews: d.nextReviews,
        themes: d.familyVoiceThemes,
        feedback: answer.data?.familyFeedback?.nodes ?? [],
      },
    };
  });
}

async function accessibility(ctx: PageContext): Promise<void> {
  ctx.render('message.njk', {
    title: 'Accessibility',
    paragraphs: [
      'This service aims to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA. It is built on the GOV.UK Design System, and every page is checked with axe-core in automated browser tests.',
      'Ratings are always written as a word as well as shown in colour. Every chart has a written summary and a table of the same figures. Everything works with a keyboard, and nothing needs JavaScript.',
      'Figures about fewer than 8 children are withheld to protect privacy; the page says so in words wherever that happens.',
    ],
  });
}

export const dashboardRoutes: Route[] = [
  { method: 'GET', path: /^\/$/, handle: dashboard },
  { method: 'GET', path: /^\/accessibility$/, handle: accessibility },
];
