import { GraphQLError } from 'graphql';
import { cursorCodec } from '../../subgraphs/toolkit/cursor';

const children = cursorCodec('children', ['text', 'text', 'uuid']);
const referrals = cursorCodec('referrals', ['date', 'uuid']);
const audit = cursorCodec('auditEvents', ['integer']);
const ID = '0b6c1d0e-3f4a-4b5c-8d6e-7f8091a2b3c4';

function refusal(decode: () => unknown): GraphQLError {
  try {
    decode();
  } catch (e) {
    return e as GraphQLError;
  }
  throw new Error('the cursor was accepted');
}

describe('cursorCodec', () => {
  it('gives back the key it was given, in an opaque url-safe string', () => {
    const key = ['O\'Neil', 'Zoë "Z"', ID] as const;
    const cursor = children.encode(key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain(ID);
    expect(children.decode(cursor)).toEqual([...key]);
    expect(referrals.decode(referrals.encode(['2025-06-30', ID]))).toEqual(['2025-06-30', ID]);
    expect(audit.decode(audit.encode(['12345678901']))).toEqual(['12345678901']);
  });

  it.each([
    ['made up', 'not-a-cursor'],
    ['empty', ''],
    ['another list\'s', referrals.encode(['2025-06-30', ID])],
    ['another list\'s with the same shape', cursorCodec('caseworkers', ['text', 'text', 'uuid']).encode(['a', 'b', ID])],
    ['with a part missing', Buffer.from(JSON.stringify(['children', 'a', ID])).toString('base64url')],
    ['with a malformed id', Buffer.from(JSON.stringify(['children', 'a', 'b', 'not-a-uuid'])).toString('base64url')],
    ['with a number for text', Buffer.from(JSON.stringify(['children', 1, 'b', ID])).toString('base64url')],
  ])('refuses a cursor %s with BAD_USER_INPUT naming after', (_what, cursor) => {
    const error = refusal(() => children.decode(cursor));
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(error.message).toMatch(/^after: /);
  });

  it('checks each part of the key by its kind', () => {
    expect(refusal(() => referrals.decode(referrals.encode(['2025-02-30', ID]))).extensions.code).toBe('BAD_USER_INPUT');
    expect(refusal(() => audit.decode(audit.encode(['12; DROP TABLE audit_event']))).extensions.code).toBe('BAD_USER_INPUT');
    expect(refusal(() => audit.decode(audit.encode(['12345678901234567890']))).extensions.code).toBe('BAD_USER_INPUT');
  });
});
