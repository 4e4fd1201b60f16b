/**
 * What every importer does to the text it reads, before any rule of its own:
 * decode the bytes strictly (a byte that is not valid in the file's encoding is an
 * error naming its line, never a silent U+FFFD), refuse control characters and
 * over-long values, refuse cells a spreadsheet would run as a formula, and show a
 * value in a report only when it is not personal data.
 */
import { parse, type Options as ParseOptions } from 'csv-parse';
import { isUtf8 } from 'node:buffer';
import { isValidNhsNumber, normaliseNhsNumber } from './link-key';

/** The encodings an importer can read. */
export type TextEncoding = 'utf-8' | 'latin1' | 'windows-1252' | 'us-ascii';

/** A byte sequence not valid in the file's encoding, or a file cut off inside a character. */
export class EncodingError extends Error {
  constructor(
    message: string,
    /** 1-based line of the first bad byte. */
    readonly line: number,
  ) {
    super(message);
    this.name = 'EncodingError';
  }
}

const NEWLINE = 0x0a;

function countNewlines(bytes: Uint8Array, end = bytes.length): number {
  let n = 0;
  for (let i = bytes.indexOf(NEWLINE); i !== -1 && i < end; i = bytes.indexOf(NEWLINE, i + 1)) n++;
  return n;
}

/** Length of the UTF-8 sequence a lead byte starts (0 for a byte that cannot start one). */
function utf8Length(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** Where a trailing, not yet complete, UTF-8 sequence starts (the end when there is none). */
function completeUpTo(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back];
    if ((b & 0xc0) === 0x80) continue;
    const need = utf8Length(b);
    return need > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

/** Offset of the first byte that is not valid UTF-8 (overlong forms, surrogates and values above U+10FFFF included). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const need = utf8Length(b);
    if (need === 0) return i;
    if (need === 1) {
      i++;
      continue;
    }
    if (i + need > bytes.length) return i;
    const b1 = bytes[i + 1];
    if ((b1 & 0xc0) !== 0x80) return i;
    if ((b === 0xe0 && b1 < 0xa0) || (b === 0xed && b1 > 0x9f) || (b === 0xf0 && b1 < 0x90) || (b === 0xf4 && b1 > 0x8f)) return i;
    for (let k = 2; k < need; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    i += need;
  }
  return -1;
}

/**
 * windows-1252's characters for bytes 0x80-0x9F (where ISO-8859-1 has C1 controls);
 * '' for the five bytes it leaves undefined. Node's TextDecoder reads these bytes
 * as ISO-8859-1 whatever label it is given, so the table is here.
 */
const WINDOWS_1252 = '€\u0000‚ƒ„…†‡ˆ‰Š‹Œ\u0000Ž\u0000\u0000‘’“”•–—˜™š›œ\u0000žŸ'.split('').map((c) => (c === '\u0000' ? '' : c));

/**
 * Decodes a byte stream strictly, chunk by chunk (a character may straddle two
 * chunks). Strings in the input are taken as UTF-8 text. A UTF-8 byte-order mark
 * at the start is dropped. Throws EncodingError naming the line of the first byte
 * that is not valid in `encoding`.
 */
export async function* decodeStrict(input: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>, encoding: TextEncoding, onBytes: (bytes: number) => void = () => undefined): AsyncIterable<string> {
  let carry: Buffer = Buffer.alloc(0);
  let line = 1;
  let started = false;

  const decode = (data: Buffer, final: boolean): string => {
    let body = data;
    carry = Buffer.alloc(0);
    if (encoding === 'utf-8') {
      const cut = final ? data.length : completeUpTo(data);
      body = data.subarray(0, cut);
      carry = Buffer.from(data.subarray(cut));
      if (!isUtf8(body)) {
        const at = firstInvalidUtf8(body);
        const where = line + countNewlines(body, at);
        if (final && completeUpTo(body) <= at) throw new EncodingError(`line ${where} ends in the middle of a character: the file is cut short, or is not UTF-8`, where);
        throw new EncodingError(`line ${where} holds bytes that are not valid UTF-8 (the first is 0x${body[at].toString(16).toUpperCase().padStart(2, '0')}); save the file as UTF-8`, where);
      }
    } else if (encoding !== 'latin1') {
      const at = body.findIndex(encoding === 'us-ascii' ? (b) => b > 0x7f : (b) => b >= 0x80 && b <= 0x9f && !WINDOWS_1252[b - 0x80]);
      if (at !== -1) {
        const where = line + countNewlines(body, at);
        throw new EncodingError(`line ${where} holds a byte that is not ${encoding === 'us-ascii' ? 'US-ASCII' : 'windows-1252'} (0x${body[at].toString(16).toUpperCase()}); save the file as UTF-8`, where);
      }
    }
    line += countNewlines(body);
    const text = body.toString(encoding === 'utf-8' ? 'utf8' : 'latin1');
    return encoding === 'windows-1252' ? text.replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252[c.charCodeAt(0) - 0x80]) : text;
  };
  const dropBom = (data: Buffer): Buffer => (encoding === 'utf-8' && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? data.subarray(3) : data);

  for await (const piece of input) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    onBytes(chunk.length);
    let data: Buffer = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    if (!started) {
      // Wait for three bytes, to see a byte-order mark whole.
      if (data.length < 3) {
        carry = data;
        continue;
      }
      started = true;
      data = dropBom(data);
    }
    const text = decode(data, false);
    if (text) yield text;
  }
  const rest = started ? carry : dropBom(carry);
  if (rest.length) yield decode(rest, true);
}

/**
 * C0 controls other than tab, line feed and carriage return; DEL and the C1
 * controls; U+FFFD, which means the text was damaged by a wrong decoding before
 * it reached this file; and noncharacters U+FFFE and U+FFFF.
 */
const UNWANTED = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd\ufffe\uffff]/;

/** The character a rule names, as U+XXXX. */
const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Characters a spreadsheet takes as the start of a formula. */
const FORMULA_START = /^[=+\-@]/;

export interface TextRules {
  /** Most characters allowed. */
  max: number;
  /** Free text that is stored and may be exported (names, ids, reasons): refuse a formula-like start. */
  freeText?: boolean;
}

/**
 * The rule a text value breaks, in words, or null when it breaks none. Control
 * characters are refused everywhere; a formula-like start (= + - @) is refused in
 * free text, where no real value starts so, rather than altered: a changed value
 * would no longer match its source, and the person importing can correct the file.
 */
export function textRule(value: string, rules: TextRules): string | null {
  const bad = UNWANTED.exec(value);
  if (bad) return bad[0] === '\ufffd' ? 'holds U+FFFD, the replacement character: the text was damaged by a wrong encoding before it reached this file' : `holds a control character (${codePoint(bad[0])}), which no value may`;
  if (value.length > rules.max) return `at most ${rules.max.toLocaleString('en-GB')} characters (this one has ${value.length.toLocaleString('en-GB')})`;
  if (rules.freeText && FORMULA_START.test(value)) return `starts with "${value[0]}", which a spreadsheet would run as a formula when the data is exported; remove the leading "${value[0]}"`;
  return null;
}

/** Values longer than this are described, not shown, in a report. */
const SHOWN_MAX = 40;

function holdsNhsNumber(value: string): boolean {
  return [...value.matchAll(/\d{3}[ -]?\d{3}[ -]?\d{4}/g)].some((m) => isValidNhsNumber(normaliseNhsNumber(m[0])));
}

/**
 * How a report shows a value: personal data (names, dates of birth, NHS numbers,
 * UPNs, postcodes, free text about a person) never, only its length; anything
 * long, only its length; else quoted.
 */
export function shownValue(value: string, personal: boolean): string {
  // A value in the wrong column (a file whose rows do not match its header) can be anyone's NHS number.
  if (personal || holdsNhsNumber(value)) return `(withheld: personal data, ${value.length} character${value.length === 1 ? '' : 's'})`;
  if (value.length > SHOWN_MAX) return `(${value.length.toLocaleString('en-GB')} characters, not shown)`;
  return JSON.stringify(value);
}

/** Problems kept for the report; past this many only their number is kept, so memory stays bounded by the report, not the file. */
export const REPORT_MAX = 1000;

/** A list of problems that keeps the first REPORT_MAX and counts the rest. */
export class ProblemList<T> extends Array<T> {
  #total = 0;

  static override get [Symbol.species]() {
    return Array;
  }

  /** Every problem pushed, kept or not. */
  get total(): number {
    return this.#total;
  }

  override push(...items: T[]): number {
    for (const item of items) {
      this.#total++;
      if (this.length < REPORT_MAX) super.push(item);
    }
    return this.length;
  }
}

/** How many problems a list stands for: all of them for a ProblemList, else its length. */
export const problemCount = (list: readonly unknown[]): number => (list instanceof ProblemList ? list.total : list.length);

/** Characters in one CSV row: far above any real row, so a file cannot make the parser buffer without bound. */
export const CSV_RECORD_MAX = 65_536;

export interface CsvRecord<T> {
  record: T;
  /** The line the record ends on (1-based, the header being line 1); 0 when not asked for. */
  line: number;
}

export type CsvOptions = Omit<ParseOptions, 'info' | 'bom' | 'max_record_size' | 'raw'> & {
  /** Whether to count the line each record ends on (it costs an object per record); errors name their line either way. */
  lines?: boolean;
};

/**
 * The records of a CSV file read as a stream of UTF-8 bytes, strictly decoded,
 * a row at most CSV_RECORD_MAX characters, handed over a chunk's worth at a time
 * (an await per record would cost more than parsing it). Errors are
 * EncodingError or csv-parse's; describe them with csvFailure, never by their
 * message (csv-parse quotes the field it stopped in).
 */
export async function* csvBatches<T = string[]>(input: AsyncIterable<string | Uint8Array>, options: CsvOptions = {}): AsyncIterable<Array<CsvRecord<T>>> {
  const { lines = true, ...parseOptions } = options;
  const parser = parse({ ...parseOptions, info: lines, max_record_size: CSV_RECORD_MAX });
  let batch: Array<CsvRecord<T>> = [];
  let failure: { error: unknown } | null = null;
  parser.on('data', lines ? ({ record, info }: { record: T; info: { lines: number } }) => batch.push({ record, line: info.lines }) : (record: T) => batch.push({ record, line: 0 }));
  parser.on('error', (error: unknown) => (failure ??= { error }));
  const ended = new Promise<void>((resolve) => parser.once('end', resolve).once('error', () => resolve()));
  // Records parsed from a chunk reach 'data' by the next turn of the event loop.
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  for await (const text of decodeStrict(input, 'utf-8')) {
    parser.write(text);
    await settle();
    if (failure) throw (failure as { error: unknown }).error;
    if (batch.length) {
      const ready = batch;
      batch = [];
      yield ready;
    }
  }
  parser.end();
  await ended;
  if (failure) throw (failure as { error: unknown }).error;
  if (batch.length) yield batch;
}

/** The records of a CSV file one by one (see csvBatches). */
export async function* csvRecords<T = string[]>(input: AsyncIterable<string | Uint8Array>, options: CsvOptions = {}): AsyncIterable<CsvRecord<T>> {
  for await (const batch of csvBatches<T>(input, options)) yield* batch;
}

const CSV_RULES: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed: the file looks cut short',
  CSV_INVALID_CLOSING_QUOTE: 'a quote inside a quoted field is not doubled ("")',
  INVALID_OPENING_QUOTE: 'a quote appears inside a field that is not quoted',
  CSV_MAX_RECORD_SIZE: `a row is longer than ${CSV_RECORD_MAX.toLocaleString('en-GB')} characters`,
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: 'a row has a different number of fields from the header',
  CSV_RECORD_INCONSISTENT_COLUMNS: 'a row has a different number of fields from the header',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'characters follow a closing quote',
};

/** Why a CSV file could not be read, in words that quote nothing from it. */
export function csvFailure(err: unknown): { line: number | null; rule: string } {
  if (err instanceof EncodingError) return { line: err.line, rule: err.message };
  const e = err as { code?: unknown; lines?: unknown };
  if (typeof e?.code === 'string' && e.code in CSV_RULES) return { line: typeof e.lines === 'number' ? e.lines : null, rule: `not readable as CSV: ${CSV_RULES[e.code]}` };
  return { line: typeof e?.lines === 'number' ? e.lines : null, rule: 'not readable as CSV' };
}
