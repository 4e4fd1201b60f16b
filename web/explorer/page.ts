/**
 * The measures explorer: `/measures` (a chart and a table of one casework or
 * health measure, by interval and period, narrowed by filters chosen from the
 * API's lists) and `/measures.csv` (the same series as DfE-shaped CSV, for the
 * page's "Download CSV" and for a script that brings its own bearer token).
 */
import { seriesChart } from '../charts';
import type { PageContext, Route } from '../context';
import type { GraphQLAnswer } from '../gateway-client';
import { figure, longDate, WITHHELD } from '../views';
import { csvFileName, seriesCsv, type MeasureSeriesInput } from './csv';
import { enumChoices } from './enums';
import { csvFilterColumns, FILTERS, INTERVAL_WORDS, INTERVALS, questionParams, readQuestion, type ExplorerLists, type ExplorerQuestion, type MeasureChoice } from './request';

/** Roles that read the measures (the API's CASEWORK_AGGREGATES and HEALTH_AGGREGATES). */
export const MEASURE_READERS = ['la_caseworker', 'designated_clinical_officer', 'icb_analyst', 'executive', 'board_member', 'partner_app'] as const;

const LISTS_QUERY = `query ExplorerLists {
  caseworkMeasureCatalogue(first: 100) { nodes { code name unit description } }
  healthMeasureCatalogue(first: 100) { nodes { code name unit description } }
  districts(first: 100) { nodes { name } }
  healthServices(first: 100) { nodes { id name pathway } }
}`;

const POINTS = 'code name unit points { periodStart periodEnd numerator denominator value suppressed }';
const SERIES_QUERY = {
  casework: `query ExplorerCaseworkSeries($codes: [ID!]!, $from: Date!, $to: Date!, $interval: Interval!, $filter: CaseworkMeasureFilter) {
  series: caseworkMeasures(codes: $codes, from: $from, to: $to, interval: $interval, filter: $filter) { ${POINTS} }
}`,
  health: `query ExplorerHealthSeries($codes: [ID!]!, $from: Date!, $to: Date!, $interval: Interval!, $filter: HealthMeasureFilter) {
  series: healthMeasures(codes: $codes, from: $from, to: $to, interval: $interval, filter: $filter) { ${POINTS} }
}`,
};

interface ListsAnswer {
  caseworkMeasureCatalogue: { nodes: MeasureChoice[] } | null;
  healthMeasureCatalogue: { nodes: MeasureChoice[] } | null;
  districts: { nodes: Array<{ name: string }> } | null;
  healthServices: { nodes: Array<{ id: string; name: string; pathway: string }> } | null;
}

const PATHWAY_WORDS = new Map(enumChoices('Pathway').map((c) => [c.value, c.text]));

/** The lists the explorer's choices come from: the API's catalogues, districts and services, and the schema's enums. */
export async function explorerLists(ctx: PageContext): Promise<{ lists: ExplorerLists; errors: string[] }> {
  const answer = await ctx.api<ListsAnswer>(LISTS_QUERY);
  const d = answer.data;
  return {
    lists: {
      casework: d?.caseworkMeasureCatalogue?.nodes ?? [],
      health: d?.healthMeasureCatalogue?.nodes ?? [],
      districts: (d?.districts?.nodes ?? []).map((n) => ({ value: n.name, text: n.name })),
      primaryNeeds: enumChoices('SenType'),
      pathways: enumChoices('Pathway'),
      services: (d?.healthServices?.nodes ?? []).map((s) => ({ value: s.id, text: `${s.name} (${PATHWAY_WORDS.get(s.pathway) ?? s.pathway})` })),
    },
    errors: answer.errors.map((e) => e.message),
  };
}

async function fetchSeries(ctx: PageContext, q: ExplorerQuestion): Promise<GraphQLAnswer<{ series: MeasureSeriesInput[] | null }>> {
  return ctx.api(SERIES_QUERY[q.subgraph], { codes: q.codes, from: q.from, to: q.to, interval: q.interval, filter: Object.keys(q.filter).length ? q.filter : null });
}

const MONTH_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A period in words: "March 2026", "Jan to Mar 2026", "2025", "2025-26". */
export function periodWords(start: string, end: string, interval: string): string {
  const [sy, sm] = start.split('-').map(Number);
  const [ey, em] = end.split('-').map(Number);
  if (interval === 'MONTH') return `${MONTH_LONG[sm - 1]} ${sy}`;
  if (interval === 'YEAR') return String(sy);
  if (interval === 'FINANCIAL_YEAR') return `${sy}-${String(ey).slice(2)}`;
  return sy === ey ? `${MONTH_SHORT[sm - 1]} to ${MONTH_SHORT[em - 1]} ${ey}` : `${MONTH_SHORT[sm - 1]} ${sy} to ${MONTH_SHORT[em - 1]} ${ey}`;
}

const unitSign = (unit: string) => (unit === 'PERCENT' ? '%' : '');

function cellWords(n: number | null, suppressed: boolean, unit = ''): string {
  if (suppressed) return 'Withheld';
  return n === null ? 'No figure' : figure(n, unit);
}

const UNIT_WORDS: Record<string, string> = { COUNT: 'a count', PERCENT: 'a percentage', WEEKS: 'in weeks', SCORE: 'a score' };

/** "By quarter, 1 April 2025 to 31 March 2026; a percentage. Narrowed to district: Mansfield." */
function periodSentence(q: ExplorerQuestion, lists: ExplorerLists, unit: string): string {
  const narrowed = FILTERS[q.subgraph]
    .filter((f) => q.filter[f.name])
    .map((f) => `${f.label.toLowerCase()}: ${(lists[f.list] as Array<{ value: string; text: string }>).find((c) => c.value === q.filter[f.name])?.text ?? q.filter[f.name]}`);
  return `By ${INTERVAL_WORDS[q.interval].toLowerCase()}, ${longDate(q.from)} to ${longDate(q.to)}; the figure is ${UNIT_WORDS[unit] ?? unit}. ${narrowed.length ? `Narrowed to ${narrowed.join('; ')}.` : 'All children counted: no filter.'}`;
}

async function explorer(ctx: PageContext): Promise<void> {
  const today = new Date().toISOString().slice(0, 10);
  const { lists, errors: listErrors } = await explorerLists(ctx);
  if (!lists.casework.length && !lists.health.length) {
    return ctx.render('message.njk', { title: 'Measures explorer', notice: { title: 'Important', text: 'Your role does not read the partnership\'s measures.' }, paragraphs: [] }, 403);
  }
  const { question, problems } = readQuestion(ctx.url.searchParams, lists, today);
  const catalogue = lists[question.subgraph];
  const measure = catalogue.find((m) => m.code === question.codes[0]) ?? null;
  let series: MeasureSeriesInput | null = null;
  const apiErrors: string[] = [];
  if (!problems.length && measure) {
    const answer = await fetchSeries(ctx, { ...question, codes: [measure.code] });
    series = answer.data?.series?.[0] ?? null;
    apiErrors.push(...answer.errors.map((e) => e.message));
  }
  const unit = unitSign(series?.unit ?? measure?.unit ?? '');
  const rows = (series?.points ?? []).map((p) => ({
    period: periodWords(p.periodStart, p.periodEnd, question.interval),
    periodEnd: p.periodEnd,
    numerator: cellWords(p.numerator, p.suppressed),
    denominator: series!.unit === 'COUNT' ? 'Not applicable' : cellWords(p.denominator, p.suppressed),
    value: cellWords(p.value, p.suppressed, unit),
    dataValue: p.suppressed || p.value === null ? '' : String(p.value),
    suppressed: p.suppressed,
  }));
  const withheld = rows.filter((r) => r.suppressed).length;
  // A line needs two figures; with fewer, the summary and the table say it all.
  const chart = series && series.points.filter((p) => !p.suppressed && p.value !== null).length >= 2
    ? await seriesChart(series.points.map((p) => ({ periodEnd: p.periodEnd, value: p.suppressed ? null : p.value })), [], { width: 720, height: 260, label: `${series.name}: chart of the figures by ${INTERVAL_WORDS[question.interval].toLowerCase()}`, unit: unit || undefined })
    : '';
  // Plot labels its mark groups with aria-label, which ARIA does not allow on an element with no role;
  // the figure's own label, summary and table carry what the marks show.
  const accessibleChart = chart.replace(/(<g\b[^>]*?)\saria-label="[^"]*"/g, '$1');
  const valued = (series?.points ?? []).filter((p) => !p.suppressed && p.value !== null);
  const summary = !series ? '' : valued.length
    ? `${series.name}: ${figure(valued[0].value, unit)} in ${periodWords(valued[0].periodStart, valued[0].periodEnd, question.interval)}${valued.length > 1 ? ` and ${figure(valued.at(-1)!.value, unit)} in ${periodWords(valued.at(-1)!.periodStart, valued.at(-1)!.periodEnd, question.interval)}` : ''}.${withheld ? ` ${withheld} ${withheld === 1 ? 'period is' : 'periods are'} withheld (${WITHHELD}).` : ''}`
    : `${series.name}: no figure can be shown for this period.`;
  const params = questionParams({ ...question, codes: measure ? [measure.code] : [] });
  ctx.render('measures.njk', {
    title: 'Measures explorer',
    errorSummary: problems.map((p) => ({ text: p.text, href: `#${p.field}` })),
    problems: Object.fromEntries(problems.map((p) => [p.field, p.text])),
    partial: [...listErrors, ...apiErrors],
    question,
    measure,
    subgraphs: [
      { value: 'casework', text: 'Casework (council)', hint: 'Requests, assessments, EHC plans and reviews' },
      { value: 'health', text: 'Health (ICB)', hint: 'Referrals, waits, health advice and SPACE' },
    ].filter((s) => lists[s.value as 'casework' | 'health'].length).map((s) => ({ ...s, hint: { text: s.hint }, checked: s.value === question.subgraph })),
    measures: catalogue.map((m) => ({ value: m.code, text: m.name, selected: m.code === measure?.code })),
    intervals: INTERVALS.map((i) => ({ value: i, text: INTERVAL_WORDS[i], selected: i === question.interval })),
    filters: FILTERS[question.subgraph].map((f) => ({
      name: f.name,
      label: f.label,
      items: [{ value: '', text: 'All' }, ...(lists[f.list] as Array<{ value: string; text: string }>).map((c) => ({ ...c, selected: question.filter[f.name] === c.value }))],
    })),
    series,
    rows,
    chart: accessibleChart,
    summary,
    csvHref: `/measures.csv?${params.toString()}`,
    scriptUrl: `${ctx.config.publicUrl}/measures.csv?${params.toString()}`,
    periodSentence: periodSentence(question, lists, series?.unit ?? measure?.unit ?? ''),
  });
}

async function csv(ctx: PageContext): Promise<void> {
  const today = new Date().toISOString().slice(0, 10);
  const { lists } = await explorerLists(ctx);
  const { question, problems } = readQuestion(ctx.url.searchParams, lists, today, { strict: true });
  const plain = (status: number, text: string) => void ctx.res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(text);
  if (!lists[question.subgraph].length) return plain(403, `Your role does not read the ${question.subgraph} measures.\n`);
  if (problems.length) return plain(400, problems.map((p) => `${p.field}: ${p.text}.`).join('\n') + '\n');
  const answer = await fetchSeries(ctx, question);
  const series = answer.data?.series;
  if (!series) return plain(502, `The series could not be computed: ${answer.errors.map((e) => e.message).join(' ')}\n`);
  ctx.res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${csvFileName(question.subgraph, question.codes, question.from, question.to, question.interval)}"`,
    'cache-control': 'no-store',
  });
  ctx.res.end(seriesCsv(series, question.interval, csvFilterColumns(question, lists)));
}

export const explorerRoutes: Route[] = [
  { method: 'GET', path: /^\/measures$/, handle: explorer },
  { method: 'GET', path: /^\/measures\.csv$/, handle: csv, bearer: true },
];
