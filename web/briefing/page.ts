/**
 * The partner briefing for a meeting, ready to send to partners as the February
 * 2026 update was: `/briefings` (the meetings held, newest first),
 * `/meetings/:id/briefing` (the briefing as a page that prints cleanly) and
 * `/meetings/:id/briefing.pdf` (the same words as an A4 PDF). The words and the
 * live KPI figures are the API's (Meeting.partnerBriefing); the app only lays
 * them out.
 */
import type { PageContext, Route } from '../context';
import { NotFound } from '../errors';
import { longDate } from '../views';
import { briefingTitle, parseBriefing } from './document';
import { renderBriefingPdf } from './pdf';

/** Who the briefing is from, in the PDF's header and metadata. */
export const PARTNERSHIP = 'Nottinghamshire SEND Partnership';

const MEETINGS_QUERY = `query BriefingMeetings($filter: MeetingFilter) {
  meetings(filter: $filter, first: 100) { nodes { id title heldDate body { name } } }
}`;

const BRIEFING_QUERY = `query PartnerBriefing($id: ID!) {
  meeting(id: $id) { id title heldDate body { name } partnerBriefing { asOf markdown } }
}`;

interface BriefingAnswer {
  meeting: { id: string; title: string; heldDate: string; body: { name: string }; partnerBriefing: { asOf: string; markdown: string } | null } | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function briefings(ctx: PageContext): Promise<void> {
  const today = new Date().toISOString().slice(0, 10);
  const answer = await ctx.api<{ meetings: { nodes: Array<{ id: string; title: string; heldDate: string; body: { name: string } }> } | null }>(MEETINGS_QUERY, { filter: { to: today } });
  if (!answer.data?.meetings) {
    return ctx.render('message.njk', { title: 'Partner briefings', notice: { title: 'Important', text: answer.errors[0]?.message ?? 'The meetings could not be loaded.' }, paragraphs: [] }, answer.errors.some((e) => e.extensions?.code === 'FORBIDDEN') ? 403 : 502);
  }
  const meetings = [...answer.data.meetings.nodes].reverse().map((m) => ({ ...m, when: longDate(m.heldDate) }));
  ctx.render('briefings.njk', { title: 'Partner briefings', meetings });
}

async function loadBriefing(ctx: PageContext) {
  const id = ctx.params.id;
  if (!UUID.test(id)) throw new NotFound();
  const answer = await ctx.api<BriefingAnswer>(BRIEFING_QUERY, { id });
  const meeting = answer.data?.meeting;
  if (!meeting) throw new NotFound();
  if (!meeting.partnerBriefing) return { meeting, briefing: null, errors: answer.errors.map((e) => e.message) };
  const blocks = parseBriefing(meeting.partnerBriefing.markdown);
  return { meeting, briefing: { asOf: meeting.partnerBriefing.asOf, blocks, title: briefingTitle(blocks) }, errors: answer.errors.map((e) => e.message) };
}

async function briefingPage(ctx: PageContext): Promise<void> {
  const { meeting, briefing, errors } = await loadBriefing(ctx);
  if (!briefing) return ctx.render('message.njk', { title: meeting.title, notice: { title: 'Important', text: `The briefing could not be written: ${errors.join(' ')}` }, paragraphs: [] }, 502);
  const [heading, ...rest] = briefing.blocks;
  ctx.render('briefing.njk', {
    title: briefing.title,
    heading: heading?.kind === 'heading' ? heading.text : briefing.title,
    blocks: heading?.kind === 'heading' ? rest : briefing.blocks,
    partial: errors,
    meeting: { ...meeting, when: longDate(meeting.heldDate) },
    asOf: longDate(briefing.asOf),
    pdfHref: `/meetings/${meeting.id}/briefing.pdf`,
  });
}

async function briefingPdf(ctx: PageContext): Promise<void> {
  const { meeting, briefing, errors } = await loadBriefing(ctx);
  if (!briefing) return void ctx.res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' }).end(`The briefing could not be written: ${errors.join(' ')}\n`);
  const pdf = await renderBriefingPdf(briefing.blocks, { title: briefing.title, asOf: briefing.asOf, author: PARTNERSHIP });
  const name = `partner-briefing-${meeting.heldDate}.pdf`;
  ctx.res.writeHead(200, { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${name}"`, 'content-length': pdf.length, 'cache-control': 'no-store' });
  ctx.res.end(pdf);
}

export const briefingRoutes: Route[] = [
  { method: 'GET', path: /^\/briefings$/, handle: briefings },
  { method: 'GET', path: /^\/meetings\/(?<id>[^/]+)\/briefing$/, handle: briefingPage },
  { method: 'GET', path: /^\/meetings\/(?<id>[^/]+)\/briefing\.pdf$/, handle: briefingPdf },
];
