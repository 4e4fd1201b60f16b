import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { axeViolations, screenshot, signIn, startWebStack, type WebStack } from './web-stack';

interface Point { periodStart: string; periodEnd: string; numerator: number | null; denominator: number | null; value: number | null; suppressed: boolean }

let h: WebStack;
beforeAll(async () => {
  h = await startWebStack({ scale: 0.1, today: new Date().toISOString().slice(0, 10) });
}, 300_000);
afterAll(async () => h?.stop(), 60_000);

/** What the API answers the same role for the same question. */
async function apiSeries(role: 'icb_analyst' | 'executive', subgraph: 'casework' | 'health', code: string, from: string, to: string, interval: string, filter: Record<string, string> | null): Promise<Point[]> {
  const field = subgraph === 'casework' ? 'caseworkMeasures' : 'healthMeasures';
  const type = subgraph === 'casework' ? 'CaseworkMeasureFilter' : 'HealthMeasureFilter';
  const res = await h.stack.queryAs<any>(role, `query($codes: [ID!]!, $from: Date!, $to: Date!, $interval: Interval!, $filter: ${type}) { s: ${field}(codes: $codes, from: $from, to: $to, interval: $interval, filter: $filter) { points { periodStart periodEnd numerator denominator value suppressed } } }`, { codes: [code], from, to, interval, filter });
  expect(res.errors).toBeUndefined();
  return res.data.s[0].points;
}

/** Each CSV row's figures against the API's point: the number as the API gave it, or DfE's marker. */
function expectCsvEqualsSeries(csv: string, points: Point[], unit: 'COUNT' | 'PERCENT' | 'OTHER') {
  const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;
  expect(rows.map((r) => r.period_end)).toEqual(points.map((p) => p.periodEnd));
  rows.forEach((r, i) => {
    const p = points[i];
    const cell = (n: number | null, rateOverNobody = false) => (p.suppressed ? 'c' : n === null ? (rateOverNobody ? 'z' : 'x') : String(n));
    expect({ period: r.period_end, value: r.value, numerator: r.numerator }).toEqual({ period: p.periodEnd, value: cell(p.value, unit !== 'COUNT' && p.denominator === 0), numerator: cell(p.numerator) });
    expect(r.denominator).toBe(unit === 'COUNT' ? 'z' : cell(p.denominator));
  });
  return rows;
}

describe('the measures explorer', () => {
  it('shows an analyst the figures the API gives them, by the filters chosen from the API\'s lists, and a CSV equal to the series', async () => {
    const { context, page } = await signIn(h, 'icb_analyst');
    await page.goto(`${h.web.url}/measures`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Measures explorer');
    // The default: the first casework measure, monthly, the twelve whole months before this one.
    const from = await page.locator('#from').inputValue();
    const to = await page.locator('#to').inputValue();
    const code = await page.locator('#code').inputValue();
    const shown = await page.locator('#series-table tbody tr').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-period-end'), r.getAttribute('data-value')]));
    const api = await apiSeries('icb_analyst', 'casework', code, from, to, 'MONTH', null);
    expect(shown).toEqual(api.map((p) => [p.periodEnd, p.suppressed || p.value === null ? '' : String(p.value)]));
    expect(shown.length).toBe(12);

    // Districts are a list from the API (never typed): choose the second one, quarterly.
    const districts = await page.locator('#district option').evaluateAll((os) => os.map((o) => o.getAttribute("value") ?? "").filter(Boolean));
    const listed = await h.stack.queryAs<any>('icb_analyst', '{ districts { nodes { name } } }');
    expect(districts).toEqual(listed.data.districts.nodes.map((n: { name: string }) => n.name));
    await page.locator('#district').selectOption(districts[1]);
    await page.locator('#interval').selectOption('QUARTER');
    await page.locator('#code').selectOption('EHCNA_REQUESTS');
    await page.getByRole('button', { name: 'Show figures' }).click();
    await page.waitForURL(/district=/);
    const byDistrict = await apiSeries('icb_analyst', 'casework', 'EHCNA_REQUESTS', from, to, 'QUARTER', { district: districts[1] });
    const quarterly = await page.locator('#series-table tbody tr').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-period-end'), r.getAttribute('data-value')]));
    expect(quarterly).toEqual(byDistrict.map((p) => [p.periodEnd, p.suppressed || p.value === null ? '' : String(p.value)]));
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'measures-explorer-casework');

    // Download CSV: the file equals the API's series, cell by cell, withheld cells marked c.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download-csv').click()]);
    expect(download.suggestedFilename()).toBe(`casework-EHCNA_REQUESTS-${from}-to-${to}-QUARTER.csv`);
    const csv = readFileSync((await download.path())!, 'utf8');
    const rows = expectCsvEqualsSeries(csv, byDistrict, 'COUNT');
    expect(rows.every((r) => r.district === districts[1] && r.primary_need === 'Total' && r.time_identifier === 'Quarter')).toBe(true);

    // The same CSV from the URL, for a script with its own bearer token (no session cookie).
    const href = await page.locator('#download-csv').getAttribute('href');
    const scripted = await fetch(`${h.web.url}${href}`, { headers: { authorization: `Bearer ${await h.stack.issuer.token('icb_analyst')}` }, redirect: 'manual' });
    expect(scripted.status).toBe(200);
    expect(scripted.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(await scripted.text()).toBe(csv);
    await context.close();
  }, 120_000);

  it('health measures by pathway and service, chosen from the API\'s lists; a typed value is refused naming the field', async () => {
    const { context, page } = await signIn(h, 'icb_analyst');
    // From casework to health with the form itself: the page comes back with health's measures and filters.
    await page.goto(`${h.web.url}/measures`);
    await page.locator('#subgraph-2').check();
    await page.getByRole('button', { name: 'Show figures' }).click();
    await page.waitForURL(/subgraph=health/);
    expect(await page.locator('.govuk-error-summary').count()).toBe(0);
    expect(await page.locator('#district').count()).toBe(0);
    await page.locator('#code').selectOption('WAITING_COUNT');
    await page.locator('#pathway').selectOption('SALT');
    await page.locator('#from').fill('2025-01-01');
    await page.locator('#to').fill('2025-12-31');
    await page.getByRole('button', { name: 'Show figures' }).click();
    await page.waitForURL(/pathway=SALT/);
    const api = await apiSeries('icb_analyst', 'health', 'WAITING_COUNT', '2025-01-01', '2025-12-31', 'MONTH', { pathway: 'SALT' });
    const shown = await page.locator('#series-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-value')));
    expect(shown).toEqual(api.map((p) => (p.suppressed || p.value === null ? '' : String(p.value))));
    expect(api.some((p) => (p.value ?? 0) > 0)).toBe(true);
    const services = await page.locator('#serviceId option').count();
    expect(services).toBeGreaterThan(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'measures-explorer-health');

    await page.goto(`${h.web.url}/measures?district=Atlantis&from=2025-02-30`);
    const summary = page.locator('.govuk-error-summary');
    await expect(summary.textContent()).resolves.toMatch(/Choose a district from the list/);
    await expect(summary.textContent()).resolves.toMatch(/From must be a real date/);
    expect(await page.locator('.govuk-error-summary a[href="#district"]').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'measures-explorer-error');
    await context.close();
  }, 120_000);

  it('an executive\'s CSV withholds what the API withholds from them; a refused token is 401, none a sign-in', async () => {
    const token = await h.stack.issuer.token('executive');
    const districtList = await h.stack.queryAs<any>('executive', '{ districts { nodes { name } } }');
    const district = districtList.data.districts.nodes[0].name;
    const q = new URLSearchParams({ subgraph: 'casework', code: 'EHCNA_REQUESTS', interval: 'MONTH', from: '2025-01-01', to: '2025-12-31', district });
    const res = await fetch(`${h.web.url}/measures.csv?${q}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const api = await apiSeries('executive', 'casework', 'EHCNA_REQUESTS', '2025-01-01', '2025-12-31', 'MONTH', { district });
    const rows = expectCsvEqualsSeries(await res.text(), api, 'COUNT');
    // Small numbers never reach an executive: every count shown is 0 or at least 8.
    for (const r of rows) if (r.value !== 'c') expect(Number(r.value) === 0 || Number(r.value) >= 8).toBe(true);

    const refused = await fetch(`${h.web.url}/measures.csv?${q}`, { headers: { authorization: 'Bearer not-a-token' }, redirect: 'manual' });
    expect(refused.status).toBe(401);
    const anonymous = await fetch(`${h.web.url}/measures.csv?${q}`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    const bad = await fetch(`${h.web.url}/measures.csv?subgraph=casework&code=NOPE`, { headers: { authorization: `Bearer ${token}` } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/^code: /);
  }, 60_000);
});
