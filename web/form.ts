import type { IncomingMessage } from 'node:http';

/** An application/x-www-form-urlencoded body, refused past 64 KB. */
export async function readForm(req: IncomingMessage, limit = 65_536): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > limit) throw new Error('The form is too large.');
  }
  return new URLSearchParams(body);
}
