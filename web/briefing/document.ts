import MarkdownIt from 'markdown-it';

/**
 * The partner briefing (the API's PartnerBriefing.markdown) as a few kinds of
 * block, parsed once, so that the page and the PDF show the same words in the
 * same order. Raw HTML in the Markdown is not honoured (html: false): the page
 * escapes every word it prints.
 */

export interface Run {
  text: string;
  em?: boolean;
  strong?: boolean;
}

export type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; runs: Run[] }
  | { kind: 'list'; items: Run[][] }
  | { kind: 'table'; header: string[]; rows: string[][] };

const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });
type Token = ReturnType<typeof markdown.parse>[number];

/** The inline children of one markdown-it inline token, as runs of plain, emphasised or strong text. */
function runsOf(children: Token[] | null): Run[] {
  const runs: Run[] = [];
  let em = 0;
  let strong = 0;
  for (const t of children ?? []) {
    if (t.type === 'em_open') em++;
    else if (t.type === 'em_close') em--;
    else if (t.type === 'strong_open') strong++;
    else if (t.type === 'strong_close') strong--;
    else if (t.type === 'text' || t.type === 'code_inline') runs.push({ text: t.content, ...(em ? { em: true } : {}), ...(strong ? { strong: true } : {}) });
    else if (t.type === 'softbreak' || t.type === 'hardbreak') runs.push({ text: ' ' });
  }
  // Adjacent runs of the same style join, so a line wraps as one.
  return runs.filter((r) => r.text !== '').reduce<Run[]>((out, r) => {
    const last = out.at(-1);
    if (last && Boolean(last.em) === Boolean(r.em) && Boolean(last.strong) === Boolean(r.strong)) last.text += r.text;
    else out.push({ ...r });
    return out;
  }, []);
}

const plain = (runs: Run[]) => runs.map((r) => r.text).join('');

export function parseBriefing(source: string): Block[] {
  const tokens = markdown.parse(source, {});
  const blocks: Block[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === 'heading_open') {
      blocks.push({ kind: 'heading', level: Number(t.tag.slice(1)), text: plain(runsOf(tokens[i + 1].children)) });
      i += 2;
    } else if (t.type === 'paragraph_open' && t.level === 0) {
      blocks.push({ kind: 'paragraph', runs: runsOf(tokens[i + 1].children) });
      i += 2;
    } else if (t.type === 'bullet_list_open' || t.type === 'ordered_list_open') {
      const items: Run[][] = [];
      const close = t.type.replace('_open', '_close');
      for (i++; i < tokens.length && !(tokens[i].type === close && tokens[i].level === t.level); i++) {
        if (tokens[i].type === 'inline') items.push(runsOf(tokens[i].children));
      }
      blocks.push({ kind: 'list', items });
    } else if (t.type === 'table_open') {
      const header: string[] = [];
      const rows: string[][] = [];
      let inHead = false;
      for (i++; i < tokens.length && tokens[i].type !== 'table_close'; i++) {
        const u = tokens[i];
        if (u.type === 'thead_open') inHead = true;
        else if (u.type === 'thead_close') inHead = false;
        else if (u.type === 'tr_open' && !inHead) rows.push([]);
        else if (u.type === 'inline') (inHead ? header : rows[rows.length - 1]).push(plain(runsOf(u.children)));
      }
      blocks.push({ kind: 'table', header, rows });
    }
  }
  return blocks;
}

/** The briefing's title: its first heading. */
export function briefingTitle(blocks: Block[]): string {
  const h = blocks.find((b) => b.kind === 'heading');
  return h && h.kind === 'heading' ? h.text : 'Partner briefing';
}
