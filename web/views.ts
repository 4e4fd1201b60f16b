import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import nunjucks from 'nunjucks';

/** The templates' folder: beside this file in the sources, or web/templates from dist/web. */
function templatesDir(): string {
  const candidates = [join(__dirname, 'templates'), join(__dirname, '..', '..', 'web', 'templates')];
  const found = candidates.find((d) => existsSync(join(d, 'layout.njk')));
  if (!found) throw new Error(`The web app's templates are missing (looked in ${candidates.join(', ')}).`);
  return found;
}

export const GOVUK_DIST = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist');

const RAG_TAG: Record<string, string> = { GREEN: 'govuk-tag--green', AMBER: 'govuk-tag--orange', RED: 'govuk-tag--red', GREY: 'govuk-tag--grey' };
const RAG_WORD: Record<string, string> = { GREEN: 'Green', AMBER: 'Amber', RED: 'Red', GREY: 'Not rated' };
const STATUS_TAG: Record<string, string> = { ON_TRACK: 'govuk-tag--green', AT_RISK: 'govuk-tag--orange', OFF_TRACK: 'govuk-tag--red', COMPLETE: 'govuk-tag--blue' };
const STATUS_WORD: Record<string, string> = { ON_TRACK: 'On track', AT_RISK: 'At risk', OFF_TRACK: 'Off track', COMPLETE: 'Complete' };
const TREND_WORD: Record<string, string> = { IMPROVING: 'Improving', WORSENING: 'Worsening', STEADY: 'Steady', UNKNOWN: 'No trend yet' };
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function longDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

export function figure(value: number | null | undefined, unit = ''): string {
  if (value === null || value === undefined) return '';
  const rounded = Math.abs(value) >= 100 || Number.isInteger(value) ? Math.round(value).toLocaleString('en-GB') : value.toLocaleString('en-GB', { maximumFractionDigits: 1 });
  if (unit === 'PERCENT') return `${rounded}%`;
  if (unit === 'WEEKS') return `${rounded} ${value === 1 ? 'week' : 'weeks'}`;
  return rounded;
}

/** What a withheld figure says, in words: the DfE convention, explained. */
export const WITHHELD = 'fewer than 8 children: withheld to protect privacy';

export function createViews(): nunjucks.Environment {
  const env = nunjucks.configure([templatesDir(), GOVUK_DIST], { autoescape: true, throwOnUndefined: false });
  env.addFilter('ragTag', (rag: string) => RAG_TAG[rag] ?? 'govuk-tag--grey');
  env.addFilter('ragWord', (rag: string) => RAG_WORD[rag] ?? rag);
  env.addFilter('statusTag', (s: string) => STATUS_TAG[s] ?? 'govuk-tag--grey');
  env.addFilter('statusWord', (s: string) => STATUS_WORD[s] ?? s);
  env.addFilter('trendWord', (t: string) => TREND_WORD[t] ?? t);
  env.addFilter('longDate', longDate);
  env.addFilter('figure', figure);
  env.addGlobal('WITHHELD', WITHHELD);
  return env;
}
