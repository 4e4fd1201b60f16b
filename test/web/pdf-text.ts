import { inflateSync } from 'node:zlib';

/**
 * What a PDF says, for tests: the structure checked (header, cross-reference,
 * trailer, end marker), the page count, and the text of its content streams
 * (pdfkit and Chromium write FlateDecode streams; pdfkit's standard fonts show
 * text as hex strings of WinAnsi codes).
 */
export interface PdfFacts {
  version: string;
  pages: number;
  title: string | null;
  /** The shown text of pdfkit's standard-font strings, page by page, joined. */
  text: string;
}

export function readPdf(pdf: Buffer): PdfFacts {
  const raw = pdf.toString('latin1');
  const version = /^%PDF-(\d\.\d)/.exec(raw)?.[1];
  if (!version) throw new Error('not a PDF: no %PDF- header');
  if (!/%%EOF\s*$/.test(raw)) throw new Error('not a whole PDF: no %%EOF at the end');
  if (!/startxref\s+\d+/.test(raw)) throw new Error('no startxref');
  const counts = [...raw.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)/g), ...raw.matchAll(/\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g)].map((m) => Number(m[1]));
  const title = titleOf(raw);
  let text = '';
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = m.index! + m[0].length;
    const end = raw.indexOf('endstream', start);
    try {
      const body = inflateSync(pdf.subarray(start, end)).toString('latin1');
      for (const shown of body.matchAll(/\[((?:<[0-9a-fA-F]*>\s*-?[\d.]*\s*)+)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
        const hex = shown[1] ? [...shown[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]).join('') : shown[2];
        text += Buffer.from(hex, 'hex').toString('latin1');
      }
      text += '\n';
    } catch {
      // Not a deflated stream (an image, a font): no text in it.
    }
  }
  return { version, pages: counts.length ? Math.max(...counts) : 0, title, text };
}

/** The document's Title: a literal or hex string, directly or in the object it refers to. */
function titleOf(raw: string): string | null {
  const at = /\/Title\s*(?:(\d+) 0 R|(\(|<))/.exec(raw);
  if (!at) return null;
  const from = at[1] ? raw.indexOf(`\n${at[1]} 0 obj`) + `\n${at[1]} 0 obj`.length : at.index + at[0].length - 1;
  const rest = raw.slice(from).trimStart();
  const literal = /^\(((?:\\.|[^\\)])*)\)/.exec(rest);
  if (literal) return literal[1].replace(/\\(.)/g, '$1');
  const hex = /^<([0-9a-fA-F]*)>/.exec(rest);
  if (!hex) return null;
  const bytes = Buffer.from(hex[1], 'hex');
  // UTF-16BE with its byte-order mark, as Chromium writes a title.
  return bytes[0] === 0xfe && bytes[1] === 0xff ? Buffer.from(bytes.subarray(2)).swap16().toString('utf16le') : bytes.toString('latin1');
}
