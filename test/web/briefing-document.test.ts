import { renderBriefing, type BriefingInput } from '../../subgraphs/governance/rules/briefing';
import { briefingTitle, parseBriefing } from '../../web/briefing/document';
import { renderBriefingPdf } from '../../web/briefing/pdf';
import { readPdf } from './pdf-text';

/** A briefing as the API writes it (the governance rule), with a withheld figure and a long table. */
function briefing(kpiCount: number): string {
  const input: BriefingInput = {
    body: { name: 'SEND Partnership Improvement Board', cadence: 'Every six weeks', chair: 'Dame Christine Lenehan (independent chair)' },
    meeting: {
      heldDate: '2026-02-09',
      title: 'Improvement Board, February 2026',
      focusTopics: ['the new statutory SEND service structure', 'SEND reform', 'governance structure'],
      discussion: ['The Board discussed the future governance of the SEND Partnership.', 'The Board was given an overview of the council\'s new statutory SEND service.'],
      decisions: ['Move to quarterly meetings of the SEND Executive Leadership Group from April 2026.'],
      actionsArising: [{ description: 'Agree the assurance framework', owner: 'Programme lead', dueDate: '2026-03-31' }],
    },
    kpis: Array.from({ length: kpiCount }, (_, i) => ({
      name: i === 1 ? 'Families enrolled | SPACE' : `KPI number ${i + 1} with a long name that wraps in its cell`,
      owner: i % 2 ? 'ICB' : 'Council',
      value: i === 0 ? null : 40 + i,
      suppressed: i === 0,
      unit: 'PERCENT',
      periodStart: '2026-01-01',
      periodEnd: '2026-01-31',
      target: 60,
      trajectoryValue: 45,
      rag: i === 0 ? 'GREY' : i % 3 === 0 ? 'RED' : 'GREEN',
      england: { year: 2024, value: 46.4 },
    })) as BriefingInput['kpis'],
    next: { heldDate: '2026-03-23', bodyName: 'SEND Partnership Improvement Board', title: 'Improvement Board, March 2026' },
  };
  return renderBriefing(input);
}

describe('the partner briefing as blocks, for the page and the PDF', () => {
  it('keeps every heading, paragraph, list item and table cell of the Markdown, in order', () => {
    const md = briefing(3);
    const blocks = parseBriefing(md);
    expect(briefingTitle(blocks)).toBe('SEND Partnership Improvement Board: February 2026 partner update');
    expect(blocks.filter((b) => b.kind === 'heading').map((b) => b.kind === 'heading' && b.text)).toEqual([
      'SEND Partnership Improvement Board: February 2026 partner update', 'What was discussed', 'Decisions', 'Actions arising', 'Performance against our KPIs', 'Next meeting',
    ]);
    const table = blocks.find((b) => b.kind === 'table');
    if (!table || table.kind !== 'table') throw new Error('no table');
    expect(table.header).toEqual(['KPI', 'Owner', 'Period', 'Value', 'Trajectory', 'Target', 'RAG', 'England']);
    expect(table.rows).toHaveLength(3);
    // The Markdown's escaped pipe is the KPI's own character, not a cell boundary.
    expect(table.rows[1][0]).toBe('Families enrolled | SPACE');
    expect(table.rows[0][3]).toBe('withheld (small numbers)');
    expect(table.rows[0][6]).toBe('GREY');
    const list = blocks.find((b) => b.kind === 'list');
    expect(list && list.kind === 'list' && list.items[0].map((r) => r.text).join('')).toBe('Move to quarterly meetings of the SEND Executive Leadership Group from April 2026.');
  });

  it('italic Markdown stays italic, and raw HTML is text, never markup', () => {
    const blocks = parseBriefing('_No decisions recorded._\n\n<script>alert(1)</script> and **bold**\n');
    expect(blocks[0]).toEqual({ kind: 'paragraph', runs: [{ text: 'No decisions recorded.', em: true }] });
    expect(blocks[1]).toEqual({ kind: 'paragraph', runs: [{ text: '<script>alert(1)</script> and ' }, { text: 'bold', strong: true }] });
  });

  it('renders a valid PDF with the briefing\'s words, every KPI row, and its pages numbered', async () => {
    const blocks = parseBriefing(briefing(40));
    const pdf = await renderBriefingPdf(blocks, { title: briefingTitle(blocks), asOf: '2026-02-09', author: 'Nottinghamshire SEND Partnership' });
    const facts = readPdf(pdf);
    expect(facts.version).toBe('1.7');
    expect(facts.pages).toBeGreaterThan(1);
    expect(facts.title).toBe('SEND Partnership Improvement Board: February 2026 partner update');
    const text = facts.text.replace(/\s+/g, ' ');
    expect(text).toContain('What was discussed');
    expect(text).toContain('withheld (small numbers)');
    for (let i = 3; i <= 40; i++) expect(text).toContain(`KPI number ${i} with a`);
    expect(text).toContain(`Page ${facts.pages} of ${facts.pages}`);
    // The same briefing, the same file: dates come from the briefing, not the clock.
    const again = await renderBriefingPdf(blocks, { title: briefingTitle(blocks), asOf: '2026-02-09', author: 'Nottinghamshire SEND Partnership' });
    expect(again.equals(pdf)).toBe(true);
  });
});
