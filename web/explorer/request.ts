/**
 * What the measures explorer is asked, read from its URL (the page and the CSV
 * take the same parameters, so a page's "Download CSV" link and an analyst's
 * script ask the same question). Every choice is checked against the lists the
 * API gave (measure catalogues, districts, services, the schema's enums): a
 * value not on its list is refused naming the field, never passed on.
 *
 * Pure: the lists come in; a question or the problems come out.
 */

export type Subgraph = 'casework' | 'health';
export const INTERVALS = ['MONTH', 'QUARTER', 'YEAR', 'FINANCIAL_YEAR'] as const;
export const INTERVAL_WORDS: Record<string, string> = { MONTH: 'Month', QUARTER: 'Quarter', YEAR: 'Calendar year', FINANCIAL_YEAR: 'Financial year (April to March)' };

export interface Choice {
  value: string;
  text: string;
}

export interface MeasureChoice {
  code: string;
  name: string;
  unit: string;
  description: string;
}

export interface ExplorerLists {
  casework: MeasureChoice[];
  health: MeasureChoice[];
  districts: Choice[];
  primaryNeeds: Choice[];
  pathways: Choice[];
  services: Choice[];
}

export interface ExplorerQuestion {
  subgraph: Subgraph;
  codes: string[];
  interval: string;
  from: string;
  to: string;
  /** casework: district, primaryNeed; health: pathway, serviceId. Absent: not narrowed. */
  filter: Record<string, string>;
}

export interface Problem {
  /** The form field's id, for the error summary's link. */
  field: string;
  text: string;
}

/** The filters each subgraph's measures take, in the API's names, with the list each is chosen from. */
export const FILTERS: Record<Subgraph, Array<{ name: string; label: string; csvHeader: string; list: keyof ExplorerLists }>> = {
  casework: [
    { name: 'district', label: 'District', csvHeader: 'district', list: 'districts' },
    { name: 'primaryNeed', label: 'Primary need', csvHeader: 'primary_need', list: 'primaryNeeds' },
  ],
  health: [
    { name: 'pathway', label: 'Pathway', csvHeader: 'pathway', list: 'pathways' },
    { name: 'serviceId', label: 'Service', csvHeader: 'service', list: 'services' },
  ],
};

export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

/** The default period: the twelve whole months before `today`'s month. */
export function defaultPeriod(today: string): { from: string; to: string } {
  const d = new Date(`${today.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCDate(0);
  const to = d.toISOString().slice(0, 10);
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 11);
  return { from: d.toISOString().slice(0, 10), to };
}

/** Periods a question asks for, roughly, so that a page is never asked to draw thousands. */
function periodCount(from: string, to: string, interval: string): number {
  const months = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7)) + 1;
  return interval === 'MONTH' ? months : interval === 'QUARTER' ? Math.ceil(months / 3) : Math.ceil(months / 12);
}

export const MAX_PERIODS = 240;

/**
 * The question in the URL, with defaults for what is left out. `strict` (the CSV)
 * requires a measure code; the page offers the first of the catalogue.
 */
export function readQuestion(params: URLSearchParams, lists: ExplorerLists, today: string, options: { strict?: boolean } = {}): { question: ExplorerQuestion; problems: Problem[] } {
  const problems: Problem[] = [];
  const subgraphParam = params.get('subgraph') ?? 'casework';
  const subgraph: Subgraph = subgraphParam === 'health' ? 'health' : 'casework';
  if (subgraphParam !== 'casework' && subgraphParam !== 'health') problems.push({ field: 'subgraph', text: 'Choose casework or health measures' });

  const catalogue = lists[subgraph];
  let codes = params.getAll('code').filter((c) => c !== '');
  // On the page, switching between casework and health keeps the other side's measure in the form: start that side afresh.
  const other = lists[subgraph === 'casework' ? 'health' : 'casework'];
  if (!options.strict) codes = codes.filter((c) => !other.some((m) => m.code === c) || catalogue.some((m) => m.code === c));
  const unknown = codes.filter((c) => !catalogue.some((m) => m.code === c));
  if (unknown.length) {
    problems.push({ field: 'code', text: `Choose a measure from the list of ${subgraph} measures` });
    codes = codes.filter((c) => !unknown.includes(c));
  }
  if (!codes.length) {
    if (options.strict && !unknown.length) problems.push({ field: 'code', text: 'Choose a measure (code=…)' });
    if (catalogue[0]) codes = [catalogue[0].code];
  }

  const interval = params.get('interval') || 'MONTH';
  if (!(INTERVALS as readonly string[]).includes(interval)) problems.push({ field: 'interval', text: 'Choose an interval from the list' });

  const period = defaultPeriod(today);
  const from = params.get('from') || period.from;
  const to = params.get('to') || period.to;
  if (!isIsoDate(from)) problems.push({ field: 'from', text: 'From must be a real date, like 2025-04-01' });
  if (!isIsoDate(to)) problems.push({ field: 'to', text: 'To must be a real date, like 2026-03-31' });
  if (isIsoDate(from) && isIsoDate(to)) {
    if (from > to) problems.push({ field: 'to', text: 'To must be the same as or after From' });
    else if (periodCount(from, to, interval) > MAX_PERIODS) problems.push({ field: 'from', text: `Choose a shorter period or a longer interval: at most ${MAX_PERIODS} periods` });
  }

  const filter: Record<string, string> = {};
  for (const f of FILTERS[subgraph]) {
    const value = params.get(f.name);
    if (!value) continue;
    const list = lists[f.list] as Choice[];
    if (list.some((c) => c.value === value)) filter[f.name] = value;
    else problems.push({ field: f.name, text: `Choose a ${f.label.toLowerCase()} from the list` });
  }
  return { question: { subgraph, codes, interval: (INTERVALS as readonly string[]).includes(interval) ? interval : 'MONTH', from, to, filter }, problems };
}

/** The question as URL parameters, for links (the CSV) and the form's state. */
export function questionParams(q: ExplorerQuestion): URLSearchParams {
  const p = new URLSearchParams({ subgraph: q.subgraph });
  for (const c of q.codes) p.append('code', c);
  p.set('interval', q.interval);
  p.set('from', q.from);
  p.set('to', q.to);
  for (const [k, v] of Object.entries(q.filter)) p.set(k, v);
  return p;
}

/** The filter columns of the CSV: each of the subgraph's filters, with the chosen value in words ("Total" when none). */
export function csvFilterColumns(q: ExplorerQuestion, lists: ExplorerLists): Array<{ header: string; value: string | null }> {
  return FILTERS[q.subgraph].map((f) => {
    const value = q.filter[f.name];
    if (!value) return { header: f.csvHeader, value: null };
    // A service is named, not shown by its id; a district, a need or a pathway by its code as the API takes it.
    const choice = (lists[f.list] as Choice[]).find((c) => c.value === value);
    return { header: f.csvHeader, value: f.name === 'serviceId' ? (choice?.text ?? value) : value };
  });
}
