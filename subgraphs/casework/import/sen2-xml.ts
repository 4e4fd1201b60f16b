import { SaxesParser } from 'saxes';

/**
 * Streaming reader for a DfE SEN2 XML return. It never holds the file: it keeps
 * the header and ONE <Person> element at a time as a small tree, and hands each
 * person to the caller as soon as its closing tag is read. A 50 MB return costs
 * the memory of its largest person.
 */

export interface XmlNode {
  name: string;
  text: string;
  children: XmlNode[];
  line: number;
}

export interface Sen2Header {
  collection: string | null;
  year: string | null;
  referenceDate: string | null;
  lea: string | null;
}

export class Sen2SyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
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

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** Reads a SEN2 return from chunks (a file stream) and calls the handlers; throws Sen2SyntaxError on XML that is not well-formed. */
export async function streamSen2(input: AsyncIterable<string | Buffer>, handlers: StreamHandlers): Promise<{ persons: number; header: Sen2Header }> {
  const parser = new SaxesParser({ position: true });
  const header: Sen2Header = { collection: null, year: null, referenceDate: null, lea: null };
  const path: string[] = [];
  let stack: XmlNode[] = [];
  let headerText = '';
  let position = 0;
  let sawMessage = false;
  let headerSent = false;
  const ready: Array<[XmlNode, number]> = [];
  let failure: Sen2SyntaxError | null = null;

  parser.on('error', (err) => {
    failure ??= new Sen2SyntaxError(`The file is not well-formed XML: ${err.message}`, parser.line, parser.column);
  });
  parser.on('opentag', (tag) => {
    const name = localName(tag.name);
    if (path.length === 0) {
      sawMessage = true;
      if (name !== 'Message') failure ??= new Sen2SyntaxError(`The root element is <${name}>; a SEN2 return starts with <Message>.`, parser.line, parser.column);
    }
    path.push(name);
    if (stack.length || (name === 'Person' && path[path.length - 2] === 'Persons')) {
      const node: XmlNode = { name, text: '', children: [], line: parser.line };
      if (stack.length) stack[stack.length - 1].children.push(node);
      stack.push(node);
    } else headerText = '';
  });
  parser.on('text', (text) => {
    if (stack.length) stack[stack.length - 1].text += text;
    else headerText += text;
  });
  parser.on('cdata', (text) => {
    if (stack.length) stack[stack.length - 1].text += text;
  });
  parser.on('closetag', () => {
    const name = path.pop()!;
    if (stack.length) {
      const node = stack.pop()!;
      node.text = node.text.trim();
      if (stack.length === 0) {
        if (!headerSent) {
          headerSent = true;
          handlers.header?.(header);
        }
        ready.push([node, ++position]);
      }
      return;
    }
    const value = headerText.trim() || null;
    const parent = path[path.length - 1];
    if (parent === 'CollectionDetails' && name === 'Collection') header.collection = value;
    if (parent === 'CollectionDetails' && name === 'Year') header.year = value;
    if (parent === 'CollectionDetails' && name === 'ReferenceDate') header.referenceDate = value;
    if (parent === 'Source' && name === 'LEA') header.lea = value;
    headerText = '';
  });

  let bytes = 0;
  // A multi-byte character may straddle two chunks: decode as a stream.
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of input) {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    parser.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    if (failure) throw failure;
    for (const [node, n] of ready.splice(0)) await handlers.person(node, n);
    handlers.progress?.(bytes);
  }
  parser.close();
  if (failure) throw failure;
  if (!sawMessage) throw new Sen2SyntaxError('The file is empty: no <Message> element.', 1, 0);
  for (const [node, n] of ready.splice(0)) await handlers.person(node, n);
  if (!headerSent) handlers.header?.(header);
  stack = [];
  return { persons: position, header };
}

/** A string as a stream of chunks (tests; small files). */
export async function* chunksOf(text: string, size = 16_384): AsyncIterable<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}
