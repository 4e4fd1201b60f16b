import PDFDocument from 'pdfkit';
import type { Block, Run } from './document';

/**
 * The partner briefing as an A4 PDF, ready to send to partners as the February
 * 2026 update was: the briefing's own words, its KPI table with each RAG rating
 * in words, and on every page the partnership's name, the figures' date and
 * "Page n of m". Built with pdfkit's standard fonts (nothing to embed or fetch).
 */

export interface BriefingPdfOptions {
  title: string;
  /** The date the figures are taken at (PartnerBriefing.asOf). */
  asOf: string;
  /** Who the briefing is from, for the header and the PDF's Author. */
  author: string;
}

const MARGIN = 56;
const BODY = 10.5;
const FONT = { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique', boldItalic: 'Helvetica-BoldOblique' };

function fontOf(run: Run): string {
  return run.strong && run.em ? FONT.boldItalic : run.strong ? FONT.bold : run.em ? FONT.italic : FONT.regular;
}

export function renderBriefingPdf(blocks: Block[], options: BriefingPdfOptions): Promise<Buffer> {
  // The PDF's dates are the briefing's, so the same briefing always gives the same file.
  const date = new Date(`${options.asOf}T00:00:00Z`);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN + 12, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: options.title, Author: options.author, Subject: `Partner briefing, figures as at ${options.asOf}`, CreationDate: date, ModDate: date },
    lang: 'en-GB',
    displayTitle: true,
    pdfVersion: '1.7',
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - MARGIN * 2;
  const ensure = (height: number) => {
    if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
  };

  for (const block of blocks) {
    if (block.kind === 'heading') {
      const size = block.level === 1 ? 18 : block.level === 2 ? 13.5 : 11.5;
      ensure(size * 3.5);
      doc.moveDown(block.level === 1 ? 0 : 0.6).font(FONT.bold).fontSize(size).fillColor('#0b0c0c').text(block.text, { width });
      doc.moveDown(0.3);
    } else if (block.kind === 'paragraph') {
      ensure(BODY * 2.5);
      writeRuns(doc, block.runs, { width });
      doc.moveDown(0.5);
    } else if (block.kind === 'list') {
      for (const item of block.items) {
        ensure(BODY * 2.5);
        const y = doc.y;
        doc.font(FONT.regular).fontSize(BODY).text('•', MARGIN + 4, y, { width: 10 });
        doc.y = y;
        writeRuns(doc, item, { width: width - 18, x: MARGIN + 18 });
        doc.moveDown(0.2);
      }
      doc.x = MARGIN;
      doc.moveDown(0.4);
    } else {
      drawTable(doc, block.header, block.rows, width);
      doc.moveDown(0.6);
    }
  }

  // Header and footer on every page, once the page count is known.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font(FONT.regular).fontSize(8).fillColor('#505a5f');
    doc.text(`${options.author}: ${options.title}`, MARGIN, MARGIN / 2, { width, lineBreak: false, ellipsis: true });
    doc.text(`Figures as at ${options.asOf}`, MARGIN, doc.page.height - MARGIN / 2 - 8, { width: width / 2, lineBreak: false });
    doc.text(`Page ${i - range.start + 1} of ${range.count}`, MARGIN + width / 2, doc.page.height - MARGIN / 2 - 8, { width: width / 2, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

/** Runs of text in their fonts, wrapping as one paragraph. */
function writeRuns(doc: PDFKit.PDFDocument, runs: Run[], options: { width: number; x?: number }): void {
  if (!runs.length) return;
  doc.fontSize(BODY).fillColor('#0b0c0c');
  runs.forEach((run, i) => {
    doc.font(fontOf(run));
    const last = i === runs.length - 1;
    if (i === 0 && options.x !== undefined) doc.text(run.text, options.x, doc.y, { width: options.width, continued: !last, lineGap: 2 });
    else doc.text(run.text, { width: options.width, continued: !last, lineGap: 2 });
  });
}

/**
 * A table whose columns share the width by how much they hold (at least a
 * minimum each), rows growing to their tallest cell, the header repeated on a
 * new page.
 */
function drawTable(doc: PDFKit.PDFDocument, header: string[], rows: string[][], width: number): void {
  const size = 8;
  const pad = 3;
  doc.fontSize(size);
  const longest = header.map((h, c) => Math.max(doc.font(FONT.bold).widthOfString(h), ...rows.map((r) => doc.font(FONT.regular).widthOfString(r[c] ?? ''))));
  // No column narrower than its longest word (a RAG word never breaks), the rest shared by what each holds.
  const words = (cell: string) => cell.split(/\s+/).map((w) => doc.font(FONT.regular).widthOfString(w));
  const minimum = header.map((h, c) => Math.max(...[h, ...rows.map((r) => r[c] ?? '')].flatMap(words)) + pad * 2 + 1);
  const total = longest.reduce((a, b) => a + Math.min(b, 220), 0);
  const widths = longest.map((l, c) => Math.max(minimum[c], (Math.min(l, 220) / total) * width));
  const scale = width / widths.reduce((a, b) => a + b, 0);
  for (let c = 0; c < widths.length; c++) widths[c] *= scale;

  const rowHeight = (cells: string[], font: string) =>
    Math.max(...cells.map((cell, c) => doc.font(font).fontSize(size).heightOfString(cell, { width: widths[c] - pad * 2 }))) + pad * 2;

  const drawRow = (cells: string[], font: string, shade: boolean) => {
    const h = rowHeight(cells, font);
    const y = doc.y;
    let x = MARGIN;
    if (shade) doc.rect(MARGIN, y, width, h).fill('#f3f2f1');
    doc.fillColor('#0b0c0c');
    cells.forEach((cell, c) => {
      doc.font(font).fontSize(size).text(cell, x + pad, y + pad, { width: widths[c] - pad * 2 });
      x += widths[c];
    });
    doc.moveTo(MARGIN, y + h).lineTo(MARGIN + width, y + h).lineWidth(0.5).strokeColor('#b1b4b6').stroke();
    doc.x = MARGIN;
    doc.y = y + h;
  };

  const headerHeight = rowHeight(header, FONT.bold);
  if (doc.y + headerHeight * 2.5 > doc.page.height - MARGIN) doc.addPage();
  drawRow(header, FONT.bold, true);
  for (const row of rows) {
    if (doc.y + rowHeight(row, FONT.regular) > doc.page.height - MARGIN) {
      doc.addPage();
      drawRow(header, FONT.bold, true);
    }
    drawRow(row, FONT.regular, false);
  }
}
