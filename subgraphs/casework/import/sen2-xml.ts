// Over 300 lines: one streaming reader's state (the header, one <Person> at a time, encodings, limits); split, the invariants that keep memory bounded would be spread over files.
import { SaxesParser } from 'saxes';
import { decodeStrict, EncodingError, type TextEncoding } from '../../toolkit/import-text';

/**
 * Streaming reader for a DfE SEN2 XML return. It never holds the file: it keeps
 * the header and ONE <Person> element at a time as a small tree, and hands each
 * person to the caller as soon as its closing tag is read. Memory is bounded by a
 * person, not by the file: an element's text is kept up to TEXT_CAP characters
 * (the rest is counted, not kept, and reported as too long), any other piece of
 * markup longer than MARKUP_CAP, a person with more than PERSON_ELEMENTS_CAP
 * elements, or nesting deeper than DEPTH_CAP is refused.
 *
 * Strict about what a SEN2 return is: the bytes are decoded in the encoding the
 * XML declaration names (UTF-8 when it names none; ISO-8859-1, windows-1252 and
 * US-ASCII also read; anything else refused), and a byte invalid in it is an
 * error naming its line; elements are in no namespace, as in DfE's schema; a
 * DOCTYPE is refused unread, so no entity is ever declared or expanded (billion
 * laughs, external entities).
 */

export interface XmlNode {
  name: string;
  text: string;
  children: XmlNode[];
  line: number;
  /** The text was longer than TEXT_CAP characters: `text` holds only its start. */
  truncated?: boolean;
}

export interface Sen2Header {
  collection: string | null;
  year: string | null;
  referenceDate: string | null;
  lea: string | null;
}

/** A file that cannot be read as a SEN2 return at all: it is refused whole. */
export class Sen2SyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    /** The element the reader was in, e.g. Person[3]/Surname, when it was in one. */
    readonly path: string | null = null,
  ) {
    super(message);
    this.name = 'Sen2SyntaxError';
  }
}

export interface StreamHandlers {
  /** Called once the header has been read (before the first person). */
  header?(header: Sen2Header): void;
  /** Each person, with its 1-based position in the file. Awaited before reading on. */
  person(node: XmlNode, position: number): void | Promise<void>;
  /** Bytes read so far, after each chunk. */
  progress?(bytes: number): void;
}

/** Characters of one element's text kept: far above any SEN2 field, so a longer one is reported, not stored. */
export const TEXT_CAP = 4096;
/** Characters of one tag, comment, CDATA section or processing instruction. */
export const MARKUP_CAP = 65_536;
export const PERSON_ELEMENTS_CAP = 10_000;
export const DEPTH_CAP = 32;

const HEAD_BYTES = 1024;
const ENCODINGS: Record<string, TextEncoding> = {
  'utf-8': 'utf-8', utf8: 'utf-8',
  'iso-8859-1': 'latin1', iso8859_1: 'latin1', 'iso_8859-1': 'latin1', 'iso8859-1': 'latin1', latin1: 'latin1', 'latin-1': 'latin1', l1: 'latin1',
  'windows-1252': 'windows-1252', cp1252: 'windows-1252',
  'us-ascii': 'us-ascii', ascii: 'us-ascii',
};

/** The encoding the start of the file declares (a byte-order mark, else the XML declaration, else UTF-8). */
export function declaredEncoding(head: Buffer): TextEncoding {
  if ((head[0] === 0xfe && head[1] === 0xff) || (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0 && head[1] === 0x3c) || (head[0] === 0x3c && head[1] === 0)) {
    throw new Sen2SyntaxError('The file is in UTF-16 (or UTF-32). SEN2 returns are read in UTF-8 or ISO-8859-1: save the file as UTF-8.', 1, 0);
  }
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  const start = head.subarray(bom ? 3 : 0).toString('latin1');
  const declaration = /^<\?xml\s[^>]*?\?>/.exec(start);
  const label = declaration && /\sencoding\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(declaration[0]);
  if (!label) return 'utf-8';
  const name = label[1] ?? label[2];
  const encoding = ENCODINGS[name.toLowerCase()];
  if (!encoding) throw new Sen2SyntaxError(`The XML declaration names the encoding "${name.slice(0, 40)}", which this importer does not read. SEN2 returns are read in UTF-8 or ISO-8859-1 (Latin-1): save the file as UTF-8.`, 1, 0);
  if (bom && encoding !== 'utf-8') throw new Sen2SyntaxError(`The file starts with a UTF-8 byte-order mark but its XML declaration says "${name}": which is it? Save the file as UTF-8 and declare encoding="UTF-8".`, 1, 0);
  return encoding;
}

const ENTITY_GRACE = 16;
const AMP = 0x26;
const SEMICOLON = 0x3b;
const GT = 0x3e;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const MARKUP_TOO_LONG = `a piece of markup (a tag, comment, CDATA section or processing instruction) longer than ${MARKUP_CAP.toLocaleString('en-GB')} characters`;

/** Something the markup guard refuses; the reader adds where. */
class GuardError extends Error {}

const enum State {
  Text,
  Open,
  Tag,
  Comment,
  Cdata,
  Pi,
}

/**
 * Sits between the decoded text and the XML parser so that the parser never
 * buffers more than a bounded piece: text beyond TEXT_CAP characters in a row is
 * not passed on (only counted), markup beyond MARKUP_CAP is refused, and a
 * DOCTYPE is refused before any of it is read.
 */
class MarkupGuard {
  /** Line feeds in text not passed to the parser, so that positions stay right. */
  swallowedNewlines = 0;
  private state = State.Text;
  /** Characters of the current text run (passed on or not), or of the current piece of markup. */
  private length = 0;
  private swallowing = false;
  /** Characters passed on after the cap to finish an entity reference the cap fell inside. */
  private grace = 0;
  /** The text passed on so far ends inside an entity reference (after '&', before ';'). */
  private entityOpen = false;
  private opening = '';
  private quote = '';
  /** How much of the terminator of a comment, CDATA section or PI has been seen. */
  private matched = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly swallowed: () => void,
  ) {}

  feed(chunk: string): void {
    let from = 0;
    let i = 0;
    const fail = (message: string): never => {
      this.write(chunk.slice(from, i));
      throw new GuardError(message);
    };
    while (i < chunk.length) {
      if (this.state === State.Text) {
        const lt = chunk.indexOf('<', i);
        const end = lt === -1 ? chunk.length : lt;
        if (this.swallowing) {
          this.swallow(chunk, i, end);
          from = end;
        } else {
          let cut = Math.min(end, i + Math.max(0, TEXT_CAP - this.length));
          this.noteEntities(chunk, i, cut);
          if (cut < end && this.entityOpen && this.grace < ENTITY_GRACE) {
            // Never cut inside an entity reference: pass on up to its ';' (a few characters at most).
            const limit = Math.min(end, cut + ENTITY_GRACE - this.grace);
            const semi = chunk.indexOf(';', cut);
            if (semi !== -1 && semi < limit) {
              this.grace += semi + 1 - cut;
              cut = semi + 1;
              this.entityOpen = false;
            } else if (limit === chunk.length) {
              // The reference may end in the next chunk.
              this.grace += limit - cut;
              cut = limit;
            }
          }
          this.length += cut - i;
          if (cut < end) {
            this.write(chunk.slice(from, cut));
            this.swallowing = true;
            this.swallowed();
            this.swallow(chunk, cut, end);
            from = end;
          }
        }
        i = end;
        if (lt !== -1) {
          this.state = State.Open;
          this.opening = '';
          this.length = 0;
          this.swallowing = false;
          this.grace = 0;
          this.entityOpen = false;
        }
        continue;
      }
      if (this.state === State.Open && this.opening === '' && i + 1 < chunk.length && chunk[i + 1] !== '!' && chunk[i + 1] !== '?') {
        // '<' and a character that makes it a tag (as the switch below would find, one character at a time).
        this.length += 2;
        this.state = State.Tag;
        this.quote = '';
        i++;
      }
      if (this.state === State.Tag && !this.quote) {
        // Most of a return is tag names: pass over them to the next character that matters to a tag in one go.
        let j = i;
        while (j < chunk.length) {
          const k = chunk.charCodeAt(j);
          if (k === GT || k === DOUBLE_QUOTE || k === SINGLE_QUOTE) break;
          j++;
        }
        if (j - i > MARKUP_CAP - this.length) {
          i += MARKUP_CAP - this.length;
          fail(MARKUP_TOO_LONG);
        }
        this.length += j - i;
        i = j;
        if (i === chunk.length) break;
      }
      const c = chunk[i];
      if (++this.length > MARKUP_CAP) fail(MARKUP_TOO_LONG);
      switch (this.state) {
        case State.Open: {
          this.opening += c;
          const o = this.opening;
          if (o.length === 2 && o[1] !== '!' && o[1] !== '?') {
            this.state = State.Tag;
            this.quote = '';
            // The character after '<' may itself matter to the tag (a quote cannot, but be exact).
            continue;
          }
          if (o === '<?') this.enter(State.Pi);
          else if (o === '<!--') this.enter(State.Comment);
          else if (o === '<![CDATA[') this.enter(State.Cdata);
          else if (o.toUpperCase() === '<!DOCTYPE') {
            fail('the file has a DOCTYPE declaration. A SEN2 return has none, and a DTD is refused unread: its entity declarations could expand without bound ("billion laughs") or read other files (external entities)');
          } else if (!'<!--'.startsWith(o) && !'<![CDATA['.startsWith(o) && !'<!DOCTYPE'.startsWith(o.toUpperCase())) this.state = State.Tag;
          break;
        }
        case State.Tag:
          if (this.quote) {
            if (c === this.quote) this.quote = '';
          } else if (c === '"' || c === "'") this.quote = c;
          else if (c === '>') this.toText();
          break;
        case State.Comment:
          this.matched = c === '-' ? Math.min(this.matched + 1, 2) : c === '>' && this.matched === 2 ? 3 : 0;
          if (this.matched === 3) this.toText();
          break;
        case State.Cdata:
          this.matched = c === ']' ? Math.min(this.matched + 1, 2) : c === '>' && this.matched === 2 ? 3 : 0;
          if (this.matched === 3) this.toText();
          break;
        case State.Pi:
          this.matched = c === '?' ? 1 : c === '>' && this.matched === 1 ? 2 : 0;
          if (this.matched === 2) this.toText();
          break;
      }
      i++;
    }
    if (from < chunk.length) this.write(chunk.slice(from));
  }

  private enter(state: State): void {
    this.state = state;
    this.matched = 0;
  }

  private toText(): void {
    this.state = State.Text;
    this.length = 0;
  }

  /** Whether chunk[from, to) leaves an entity reference open (unchanged when it holds neither '&' nor ';'). */
  private noteEntities(chunk: string, from: number, to: number): void {
    for (let k = to - 1; k >= from; k--) {
      const c = chunk.charCodeAt(k);
      if (c === AMP || c === SEMICOLON) {
        this.entityOpen = c === AMP;
        return;
      }
    }
  }

  private swallow(chunk: string, from: number, to: number): void {
    for (let n = chunk.indexOf('\n', from); n !== -1 && n < to; n = chunk.indexOf('\n', n + 1)) this.swallowedNewlines++;
  }
}

/** Bytes from strings or buffers. */
async function* bytesOf(input: AsyncIterable<string | Uint8Array>): AsyncIterable<Uint8Array> {
  for await (const chunk of input) yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}

/**
 * Reads a SEN2 return from chunks of bytes (a file stream; strings are taken as
 * UTF-8) and calls the handlers. Throws Sen2SyntaxError for a file that cannot be
 * read as a SEN2 return: not well-formed, wrong encoding, a DOCTYPE, a namespace,
 * markup out of bounds.
 */
export async function streamSen2(input: AsyncIterable<string | Uint8Array>, handlers: StreamHandlers): Promise<{ persons: number; header: Sen2Header }> {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const header: Sen2Header = { collection: null, year: null, referenceDate: null, lea: null };
  const path: string[] = [];
  let stack: XmlNode[] = [];
  let headerText = '';
  let position = 0;
  let elements = 0;
  let sawMessage = false;
  let sawHeader = false;
  let headerSent = false;
  const ready: Array<[XmlNode, number]> = [];
  let failure: Sen2SyntaxError | null = null;
  let guard: MarkupGuard | null = null;

  const line = () => parser.line + (guard?.swallowedNewlines ?? 0);
  const where = () => {
    if (!stack.length) return path.length ? path.join('/') : null;
    return [`Person[${position + 1}]`, ...stack.slice(1).map((n) => n.name)].join('/');
  };
  const fail = (message: string) => {
    failure ??= new Sen2SyntaxError(message, line(), parser.column, where());
  };
  const sendHeader = () => {
    if (headerSent) return;
    headerSent = true;
    handlers.header?.(header);
  };
  const append = (node: XmlNode, text: string) => {
    if (node.truncated) return;
    if (node.text.length + text.length > TEXT_CAP) {
      node.text = (node.text + text).slice(0, TEXT_CAP);
      node.truncated = true;
    } else node.text += text;
  };

  parser.on('error', (err) => {
    // saxes starts its messages with its own line:column, which does not count text the guard held back.
    fail(`The file is not well-formed XML: ${err.message.replace(/^\d+:\d+: /, '')}`);
  });
  parser.on('opentag', (tag) => {
    const name = tag.local;
    if (tag.uri) fail(`The element <${tag.name}> is in the namespace "${tag.uri.slice(0, 80)}". DfE's SEN2 schema puts its elements in no namespace: remove the xmlns declaration.`);
    if (path.length === 0) {
      sawMessage = true;
      if (name !== 'Message') fail(`The root element is <${name}>; a SEN2 return starts with <Message>.`);
    }
    if (path.length === 1 && name === 'Header') {
      if (headerSent) fail('The <Header> comes after <Persons>; it must come first.');
      if (sawHeader) fail('The file has two <Header> elements.');
      sawHeader = true;
    }
    path.push(name);
    if (path.length > DEPTH_CAP) fail(`Elements are nested more than ${DEPTH_CAP} deep; a SEN2 return is a few levels deep.`);
    if (path.length === 2 && name === 'Persons') sendHeader();
    if (stack.length || (name === 'Person' && path.length === 3 && path[1] === 'Persons')) {
      if (!stack.length) elements = 0;
      if (++elements > PERSON_ELEMENTS_CAP) fail(`A person has more than ${PERSON_ELEMENTS_CAP.toLocaleString('en-GB')} elements.`);
      const node: XmlNode = { name, text: '', children: [], line: line() };
      if (stack.length) stack[stack.length - 1].children.push(node);
      stack.push(node);
    } else headerText = '';
  });
  const onText = (text: string) => {
    if (stack.length) append(stack[stack.length - 1], text);
    else if (headerText.length < TEXT_CAP) headerText = (headerText + text).slice(0, TEXT_CAP + 1);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    const name = path.pop()!;
    if (stack.length) {
      const node = stack.pop()!;
      node.text = node.text.trim();
      if (stack.length === 0) {
        sendHeader();
        ready.push([node, ++position]);
      }
      return;
    }
    const value = headerText.trim() || null;
    const parent = path.length === 3 && path[1] === 'Header' ? path[2] : null;
    const set = (key: keyof Sen2Header, element: string) => {
      if (header[key] !== null) fail(`Header/${parent}/${element} appears twice.`);
      header[key] = value;
    };
    if (parent === 'CollectionDetails' && name === 'Collection') set('collection', name);
    if (parent === 'CollectionDetails' && name === 'Year') set('year', name);
    if (parent === 'CollectionDetails' && name === 'ReferenceDate') set('referenceDate', name);
    if (parent === 'Source' && name === 'LEA') set('lea', name);
    headerText = '';
  });

  // The declared encoding is read from the first bytes, before any is decoded.
  const iterator = bytesOf(input)[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headLength = 0;
  let ended = false;
  while (headLength < HEAD_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    headLength += next.value.length;
  }
  if (headLength === 0) throw new Sen2SyntaxError('The file is empty (0 bytes).', 1, 0);
  const encoding = declaredEncoding(Buffer.concat(head));
  async function* all(): AsyncIterable<Uint8Array> {
    yield* head;
    if (ended) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }

  let bytes = 0;
  guard = new MarkupGuard(
    (text) => {
      if (text) parser.write(text);
    },
    () => {
      if (stack.length) stack[stack.length - 1].truncated = true;
    },
  );
  try {
    for await (const text of decodeStrict(all(), encoding, (n) => (bytes += n))) {
      try {
        guard.feed(text);
      } catch (err) {
        if (!(err instanceof GuardError)) throw err;
        fail(`The file is refused: ${err.message}.`);
      }
      if (failure) throw failure;
      for (const [node, n] of ready.splice(0)) await handlers.person(node, n);
      handlers.progress?.(bytes);
    }
  } catch (err) {
    if (err instanceof EncodingError) throw new Sen2SyntaxError(`The file does not match its encoding (${encoding === 'latin1' ? 'ISO-8859-1' : encoding.toUpperCase()}): ${err.message}.`, err.line, 0);
    throw err;
  }
  const wasOpen = path.length > 0;
  parser.close();
  if (failure) {
    const f = failure as Sen2SyntaxError;
    if (wasOpen) throw new Sen2SyntaxError(`${f.message.replace(/\.?$/, '.')} The file ends inside <${path[path.length - 1] ?? 'Message'}>: it looks cut short.`, f.line, f.column, f.path);
    throw f;
  }
  if (!sawMessage) throw new Sen2SyntaxError('The file is empty: no <Message> element.', 1, 0);
  for (const [node, n] of ready.splice(0)) await handlers.person(node, n);
  sendHeader();
  stack = [];
  return { persons: position, header };
}

/** A text or bytes as a stream of byte chunks (tests; small files). Text is encoded as UTF-8. */
export async function* chunksOf(text: string | Uint8Array, size = 16_384): AsyncIterable<Buffer> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
