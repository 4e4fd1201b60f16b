import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { assembleTimeline } from '../../web/timeline/assemble';
import { readPdf } from './pdf-text';
import { axeViolations, screenshot, signIn, startWebStack, type WebStack } from './web-stack';

let h: WebStack;
beforeAll(async () => {
  h = await startWebStack({ scale: 0.1, today: new Date().toISOString().slice(0, 10) });
}, 300_000);
afterAll(async () => h?.stop(), 60_000);

const CHILD = `query($id: ID!) { child(id: $id) {
  requests { id receivedDate outcome outcomeDate decisionDueDate decisionWithinSixWeeks }
  assessments { id outcome outcomeDate draftPlanDate week20Exception exceptionReason finalPlanDueDate epAdviceAskedDate epAdviceReturnedDate epAdviceWithinSixWeeks
    healthAdviceAskedDate healthAdviceReturnedDate healthAdviceWithinSixWeeks socialCareAdviceAskedDate socialCareAdviceReturnedDate socialCareAdviceWithinSixWeeks request { id } healthAdvice { askedDate returnedDate dueDate returnedWithinSixWeeks } }
  ehcPlans { id issueDate ceaseDate ceaseReason weeksToIssue issuedWithinTwentyWeeks nextReviewDueDate reviewOverdue assessment { id } annualReviews { id dueDate meetingDate outcome decisionDate decisionDueDate decisionWithinFourWeeks } }
} }`;

describe('a child\'s timeline and the audit trail', () => {
  let childId: string;

  it('shows a caseworker a child\'s history on one line, each statutory deadline met or missed as the API judges it', async () => {
    // A child with a plan issued after an assessment and at least one annual review: the fullest history.
    const list = await h.stack.queryAs<any>('la_caseworker', '{ children(first: 100, filter: { hasActivePlan: true }) { nodes { id linkKey ehcPlans { issuedWithinTwentyWeeks annualReviews { id } } requests { id } } } }');
    const chosen = list.data.children.nodes.find((c: any) => c.linkKey && c.requests.length && c.ehcPlans.some((p: any) => p.issuedWithinTwentyWeeks !== null && p.annualReviews.length));
    expect(chosen).toBeDefined();
    childId = chosen.id;

    const { context, page } = await signIn(h, 'la_caseworker', '/', { user: 'cw.timeline' });
    await page.goto(`${h.web.url}/children`);
    expect(await page.locator('#children-table tbody tr').count()).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'children');

    // The API refuses a caseworker the child's health referrals (the rest of the child still answers).
    const refused = await h.stack.queryAs<any>('la_caseworker', 'query($id: ID!) { child(id: $id) { id healthReferrals { id } } }', { id: childId });
    expect({ data: refused.data, errors: refused.errors?.map((e) => ({ message: e.message, path: e.path, code: e.extensions?.code })) }).toEqual({
      data: { child: { id: childId, healthReferrals: null } },
      // The gateway places health's refusal at the child (its entity fetch); the council's part still answers.
      errors: [{ message: expect.stringMatching(/^Forbidden/), path: ['child'], code: 'FORBIDDEN' }],
    });

    await page.goto(`${h.web.url}/children/${childId}/timeline`);
    const api = (await h.stack.queryAs<any>('la_caseworker', CHILD, { id: childId })).data.child;
    // Every plan issued within 20 weeks (the API's judgement) is a met deadline on the line; every plan issued later a missed one.
    const plans = await page.locator('#timeline li[data-kind="final-plan"]').evaluateAll((items) => items.map((i) => i.getAttribute('data-deadline')));
    const judged = api.ehcPlans.filter((p: any) => p.assessment && p.issuedWithinTwentyWeeks !== null).map((p: any) => (p.issuedWithinTwentyWeeks ? 'met' : 'missed'));
    expect(plans.filter((s) => s === 'met' || s === 'missed').sort()).toEqual(judged.sort());
    // Every decided request's 6-week decision, as the API judged it.
    const decisions = await page.locator('#timeline li[data-kind="decision"][data-deadline]').evaluateAll((items) => items.map((i) => i.getAttribute('data-deadline')));
    const decided = api.requests.filter((r: any) => r.decisionWithinSixWeeks !== null).map((r: any) => (r.decisionWithinSixWeeks ? 'met' : 'missed'));
    expect(decisions.sort()).toEqual(decided.sort());
    // The whole line: the page's items in order equal the child's history as the API gives it.
    const items = await page.locator('#timeline li').evaluateAll((els) => els.map((e) => [e.querySelector('time')!.getAttribute('datetime'), e.querySelector('h3')!.textContent!.trim(), e.getAttribute('data-deadline')]));
    const expected = assembleTimeline({ ...api, healthReferrals: null }, new Date().toISOString().slice(0, 10)).map((e) => [e.date, e.title, e.deadline?.status ?? null]);
    expect(items).toEqual(expected);
    expect(items.map((i) => i[0])).toEqual([...items.map((i) => i[0])].sort());
    // Words, not colour alone, and health referrals said to be out of the caseworker's reach.
    await expect(page.locator('#deadline-summary').textContent()).resolves.toMatch(/Met \d+/);
    await expect(page.locator('.govuk-inset-text').textContent()).resolves.toMatch(/Health referrals are not shown/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'child-timeline');

    // The auditor's pages are not the caseworker's.
    await page.goto(`${h.web.url}/audit`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Audit trail');
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toMatch(/Only the auditor/);
    expect(await page.locator('nav a[href="/audit"]').count()).toBe(0);
    await context.close();
  }, 180_000);

  it('shows the designated clinical officer the child\'s health referrals on the same line', async () => {
    const list = await h.stack.queryAs<any>('designated_clinical_officer', '{ children(first: 100) { nodes { id healthReferrals { id receivedDate firstContactDate } } } }');
    const withReferrals = list.data.children.nodes.find((c: any) => c.healthReferrals?.length);
    expect(withReferrals).toBeDefined();
    const { context, page } = await signIn(h, 'designated_clinical_officer', '/', { user: 'dco.timeline' });
    await page.goto(`${h.web.url}/children/${withReferrals.id}/timeline`);
    const received = await page.locator('#timeline li[data-kind="referral"] time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')));
    expect(received.sort()).toEqual(withReferrals.healthReferrals.map((r: any) => r.receivedDate).sort());
    const contacts = withReferrals.healthReferrals.filter((r: any) => r.firstContactDate).length;
    expect(await page.locator('#timeline li[data-kind="health-contact"]').count()).toBeGreaterThanOrEqual(contacts);
    expect(await page.locator('.govuk-inset-text').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'child-timeline-dco');
    await context.close();
  }, 120_000);

  it('the auditor finds that read in the trail by record and by user, filters by date, and exports what the filter matches', async () => {
    const { context, page } = await signIn(h, 'auditor', '/', { user: 'auditor.one' });
    await page.goto(`${h.web.url}/audit?entityType=Child&entityId=${childId}`);
    const rows = () => page.locator('#audit-table tbody tr').evaluateAll((trs) => trs.map((t) => ({ source: t.getAttribute('data-source'), action: t.getAttribute('data-action'), user: t.getAttribute('data-user'), type: t.getAttribute('data-entity-type'), ids: (t.getAttribute('data-record-ids') ?? '').split(' ') })));
    const byRecord = await rows();
    // Each entry lists every record it covers: the timeline's read of this child, and any read of it among others.
    expect(byRecord).toContainEqual({ source: 'casework', action: 'READ', user: 'cw.timeline', type: 'Child', ids: expect.arrayContaining([childId]) });
    expect(byRecord.every((r) => r.type === 'Child' && r.ids.includes(childId))).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'audit-trail');

    // By user: everything the caseworker's session read, and nothing of anyone else's.
    await page.goto(`${h.web.url}/audit`);
    await page.locator('#userId').fill('cw.timeline');
    await page.getByRole('button', { name: 'Filter the trail' }).click();
    await page.waitForURL(/userId=cw.timeline/);
    const byUser = await rows();
    expect(byUser.length).toBeGreaterThan(1);
    expect(byUser.every((r) => r.user === 'cw.timeline')).toBe(true);
    // The API's own trail for that user, newest first, is what the page lists (casework's entries among them).
    const api = await h.stack.queryAs<any>('auditor', '{ caseworkAuditEvents(filter: { userId: "cw.timeline" }, first: 500) { totalCount } }');
    expect(byUser.filter((r) => r.source === 'casework').length).toBe(Math.min(50, api.data.caseworkAuditEvents.totalCount));

    // Export: the CSV holds every entry the filter matches.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-csv').click()]);
    const csv = parse(readFileSync((await download.path())!, 'utf8'), { columns: true }) as Array<Record<string, string>>;
    expect(csv.length).toBeGreaterThanOrEqual(byUser.length);
    expect(csv.every((r) => r.user_id === 'cw.timeline')).toBe(true);
    expect(csv.filter((r) => r.source === 'casework').length).toBe(api.data.caseworkAuditEvents.totalCount);
    expect(csv.some((r) => r.action === 'READ' && r.entity_type === 'Child' && r.record_ids.split(' ').includes(childId))).toBe(true);

    // By date: nothing is recorded tomorrow; a date that is not one is named in the error summary.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await page.goto(`${h.web.url}/audit?userId=cw.timeline&from=${tomorrow}`);
    expect(await page.locator('#audit-empty').count()).toBe(1);
    await page.goto(`${h.web.url}/audit?from=2026-13-01`);
    await expect(page.locator('.govuk-error-summary a[href="#from"]').textContent()).resolves.toMatch(/From must be a real date/);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  }, 180_000);
});

describe('the partner briefing', () => {
  it('reads as the API wrote it, prints to a PDF in chromium without the navigation, and downloads as a PDF of the same words', async () => {
    const { context, page } = await signIn(h, 'board_member', '/', { user: 'board.one' });
    await page.goto(`${h.web.url}/briefings`);
    const meetingId = await page.locator('#meetings-table tbody tr').first().getAttribute('data-meeting-id');
    expect(meetingId).toBeTruthy();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'briefings');

    await page.goto(`${h.web.url}/meetings/${meetingId}/briefing`);
    const api = (await h.stack.queryAs<any>('board_member', 'query($id: ID!) { meeting(id: $id) { partnerBriefing { asOf markdown } } }', { id: meetingId })).data.meeting.partnerBriefing;
    const title = api.markdown.split('\n')[0].replace(/^# /, '');
    await expect(page.locator('h1').textContent()).resolves.toBe(title);
    const kpiRows = api.markdown.split('\n').filter((l: string) => l.startsWith('| ') && !l.startsWith('| KPI |'));
    expect(await page.locator('.app-briefing-table tbody tr').count()).toBe(kpiRows.length);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'partner-briefing');

    // Printed: the page's own words without the service's navigation, the download button or the footer.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.govuk-service-navigation').isVisible()).toBe(false);
    expect(await page.locator('#download-pdf').isVisible()).toBe(false);
    expect(await page.locator('.app-briefing-table').isVisible()).toBe(true);
    const printed = readPdf(await page.pdf({ format: 'A4', printBackground: true }));
    expect(printed.pages).toBeGreaterThanOrEqual(1);
    await page.emulateMedia({ media: 'screen' });

    // The download: a PDF titled as the briefing, with its words and every KPI row's name.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download-pdf').click()]);
    expect(download.suggestedFilename()).toMatch(/^partner-briefing-\d{4}-\d{2}-\d{2}\.pdf$/);
    const pdf = readPdf(readFileSync((await download.path())!));
    expect(pdf.title).toBe(title);
    const text = pdf.text.replace(/\s+/g, ' ');
    expect(text).toContain('Performance against our KPIs');
    for (const row of kpiRows) expect(text).toContain(row.split('|')[1].trim().replace(/\\\|/g, '|').slice(0, 20));
    await context.close();
  }, 180_000);
});
