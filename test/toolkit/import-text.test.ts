import { decodeStrict, EncodingError, firstInvalidUtf8, ProblemList, REPORT_MAX, shownValue, textRule, type TextEncoding } from '../../subgraphs/toolkit/import-text';
import { KeyIndex } from '../../subgraphs/casework/import/key-index';

/** Decodes bytes split into chunks of `size`, as a file stream would hand them over. */
async function decode(bytes: Buffer, encoding: TextEncoding, size: number): Promise<string> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  let text = '';
  for await (const piece of decodeStrict(chunks, encoding)) text += piece;
  return text;
}

async function failure(bytes: Buffer, encoding: TextEncoding, size: number): Promise<EncodingError> {
  try {
    await decode(bytes, encoding, size);
  } catch (err) {
    if (err instanceof EncodingError) return err;
    throw err;
  }
  throw new Error('decoded without an error');
}

describe('strict decoding', () => {
  const text = 'Zoë Ñúñez\nAnna 😀 Łukasz\n€ and ü\n';

  it('UTF-8, whatever the chunk size, a character straddling chunks; a byte-order mark is dropped', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    for (const size of [1, 2, 3, 5, 7, 1000]) expect(await decode(bytes, 'utf-8', size)).toBe(text);
  });

  it('a byte not valid in UTF-8 is an error naming its line, whatever the chunk size', async () => {
    const latin1 = Buffer.from('first line\nsecond\nZoë here\n', 'latin1');
    for (const size of [1, 4, 13, 1000]) {
      const err = await failure(latin1, 'utf-8', size);
      expect(err.line).toBe(3);
      expect(err.message).toMatch(/^line 3 holds bytes that are not valid UTF-8 \(the first is 0xEB\)/);
    }
  });

  it('a file cut inside a character is an error, not a U+FFFD', async () => {
    const cut = Buffer.from('ok\nZo\u00eb', 'utf8').subarray(0, -1);
    for (const size of [1, 2, 1000]) expect((await failure(cut, 'utf-8', size)).message).toMatch(/^line 2 ends in the middle of a character/);
  });

  it('finds overlong forms, surrogates and values above U+10FFFF', () => {
    expect(firstInvalidUtf8(Buffer.from('abc', 'utf8'))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x41, 0xc0, 0xaf]))).toBe(1); // overlong '/'
    expect(firstInvalidUtf8(Buffer.from([0x41, 0x42, 0xed, 0xa0, 0x80]))).toBe(2); // a surrogate
    expect(firstInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // above U+10FFFF
    expect(firstInvalidUtf8(Buffer.from([0x41, 0x80]))).toBe(1); // a lone continuation byte
  });

  it('ISO-8859-1 and windows-1252 read every byte; US-ASCII refuses bytes above 0x7F', async () => {
    const bytes = Buffer.from([0x5a, 0x6f, 0xeb, 0x0a, 0x80]);
    expect(await decode(bytes, 'latin1', 2)).toBe('Zoë\n\u0080');
    expect(await decode(bytes, 'windows-1252', 2)).toBe('Zoë\n€');
    expect((await failure(bytes, 'us-ascii', 2)).line).toBe(1);
  });
});

describe('text rules', () => {
  it('refuses control characters, U+FFFD, over-long values and, in free text, formula-like starts', () => {
    expect(textRule('Able', { max: 255, freeText: true })).toBeNull();
    expect(textRule('O\'Neil-Smith', { max: 255, freeText: true })).toBeNull();
    expect(textRule('a\u0000b', { max: 255 })).toBe('holds a control character (U+0000), which no value may');
    expect(textRule('a\u009bb', { max: 255 })).toMatch(/U\+009B/);
    expect(textRule('Zo\ufffd', { max: 255 })).toMatch(/U\+FFFD, the replacement character/);
    expect(textRule('line one\nline two\tand a tab', { max: 255 })).toBeNull();
    expect(textRule('x'.repeat(256), { max: 255 })).toBe('at most 255 characters (this one has 256)');
    for (const start of ['=', '+', '-', '@']) expect(textRule(`${start}cmd`, { max: 255, freeText: true })).toMatch(new RegExp(`^starts with "\\${start}"`));
    // Codes and numbers are not free text: a leading minus is theirs to judge.
    expect(textRule('-5', { max: 255 })).toBeNull();
  });

  it('a report shows a personal value only by its length, a long one likewise, others quoted', () => {
    expect(shownValue('Able', true)).toBe('(withheld: personal data, 4 characters)');
    expect(shownValue('x', true)).toBe('(withheld: personal data, 1 character)');
    expect(shownValue('x'.repeat(41), false)).toBe('(41 characters, not shown)');
    expect(shownValue('SOON', false)).toBe('"SOON"');
  });

  it('a problem list keeps the first REPORT_MAX and counts the rest', () => {
    const list = new ProblemList<number>();
    for (let i = 0; i < REPORT_MAX + 5; i++) list.push(i);
    list.push(1, 2);
    expect(list).toHaveLength(REPORT_MAX);
    expect(list.total).toBe(REPORT_MAX + 7);
    expect(list.map((x) => x)).toBeInstanceOf(Array);
  });
});

describe('KeyIndex', () => {
  it('remembers the first row of each key across growth', () => {
    const index = new KeyIndex();
    for (let i = 0; i < 5000; i++) index.set(`name:surname${i}|forename|2012-03-04`, i + 1);
    index.set('name:surname7|forename|2012-03-04', 9999);
    expect(index.size).toBe(5000);
    expect(index.get('name:surname7|forename|2012-03-04')).toBe(8);
    expect(index.get('name:surname4999|forename|2012-03-04')).toBe(5000);
    expect(index.get('name:surname5000|forename|2012-03-04')).toBeUndefined();
    expect(index.has('upn:A123456789012')).toBe(false);
  });
});
