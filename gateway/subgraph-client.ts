import { GraphQLError } from 'graphql';
import { EventEmitter } from 'node:events';
import type { Pool } from 'undici';
import { AUDITED_READS_HEADER } from '../platform/http';

/**
 * The gateway's HTTP client of one subgraph: a POST of a GraphQL request down
 * the subgraph's keep-alive pool (undici's request API: no WHATWG Request,
 * Response or Headers objects built per call), within a deadline; one retry of
 * a query whose connection was reset; and identical queries in flight from the
 * same caller sent once.
 */

export interface SubgraphCall {
  /** The GraphQL request as sent: query, variables, operation name. */
  body: string;
  /** The caller's Authorization header, forwarded; part of the sharing key. */
  authorization?: string;
  /** The caller's request id: the subgraph files its audit rows under it. */
  requestId: string;
  /** More headers (traceparent). */
  headers?: Record<string, string>;
  /** Mutations are never retried and never shared. */
  mutation: boolean;
}

export interface SubgraphAnswer {
  status: number;
  /** The response body as text: each caller parses its own copy, since the gateway merges into what it is given. */
  text: string;
  contentType: string;
  cacheControl?: string;
  /** Records the subgraph audited as read for `requestId`; undefined when it did not say. */
  auditedReads?: number;
  /** The request id the subgraph audited the reads under. */
  requestId: string;
  /** Whether this caller got another request's answer. */
  shared: boolean;
  /** Attempts made: 2 after a retry. */
  attempts: number;
}

/** Failures of the connection itself, before an answer came: the subgraph closed or reset it. */
const CONNECTION_RESET = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'UND_ERR_CLOSED']);

function wasReset(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return CONNECTION_RESET.has(e?.code ?? '') || CONNECTION_RESET.has(e?.cause?.code ?? '');
}

/**
 * A call's deadline, as the signal undici takes: it accepts an EventEmitter with
 * `aborted` and `reason` as well as an AbortSignal, and an emitter's listener
 * costs each call less than an AbortSignal's EventTarget listener does. Not
 * AbortSignal.timeout either: its timer runs to the deadline even after the
 * answer came; this one is cleared with the call.
 */
class Deadline extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(ms: number) {
    super();
    this.timer = setTimeout(() => {
      this.aborted = true;
      this.reason = new DOMException(`The call did not finish within ${ms} ms.`, 'TimeoutError');
      this.emit('abort');
    }, ms).unref();
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}

export class SubgraphClient {
  private readonly inFlight = new Map<string, Promise<SubgraphAnswer>>();
  private readonly path: string;
  /** Calls answered by another request's call, and queries retried after a reset (for tests and the benchmark). */
  readonly counts = { sent: 0, shared: 0, retried: 0 };

  constructor(
    url: string,
    private readonly pool: Pool,
    private readonly timeoutMs: number,
  ) {
    this.path = new URL(url).pathname;
  }

  /**
   * Sends a call, or joins an identical one in flight: same subgraph, same
   * Authorization header (so the same caller with the same token), same query,
   * variables and operation name, a query. A caller from another request keeps
   * the shared answer only when the subgraph said it audited no person-level
   * read (`x-audited-reads: 0`): otherwise it sends its own call, so that the
   * subgraph audits the read under its request id too. Every request's
   * person-level reads stay audited; what is shared is aggregates and reference
   * data (a dashboard refreshed at once).
   */
  async send(call: SubgraphCall): Promise<SubgraphAnswer> {
    if (call.mutation) return this.call(call);
    const key = `${call.authorization ?? ''}\u0000${call.body}`;
    const pending = this.inFlight.get(key);
    if (pending) {
      const answer = await pending.catch(() => undefined);
      if (answer && (answer.requestId === call.requestId || answer.auditedReads === 0)) {
        this.counts.shared++;
        return { ...answer, shared: true };
      }
      // The first call failed, or read person-level records under another request's id: this request asks for itself.
      return this.call(call);
    }
    const sent = this.call(call);
    this.inFlight.set(key, sent);
    try {
      return await sent;
    } finally {
      this.inFlight.delete(key);
    }
  }

  /**
   * One call, within the deadline (waiting for a connection and reading the
   * body included). A query whose connection is reset before an answer came is
   * sent once more: the usual cause is a kept-alive connection the subgraph
   * closed as it was being reused, and a query is safe to repeat. A mutation
   * is not: the subgraph may have made the change.
   */
  private async call(call: SubgraphCall): Promise<SubgraphAnswer> {
    const deadline = new Deadline(this.timeoutMs);
    try {
      return await this.attempt(call, deadline);
    } finally {
      deadline.clear();
    }
  }

  private async attempt(call: SubgraphCall, signal: Deadline): Promise<SubgraphAnswer> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', 'x-request-id': call.requestId, ...call.headers };
    if (call.authorization) headers.authorization = call.authorization;
    this.counts.sent++;
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await this.pool.request({ path: this.path, method: 'POST', headers, body: call.body, signal });
        const text = await response.body.text();
        const header = (name: string): string | undefined => {
          const v = response.headers[name];
          return Array.isArray(v) ? v.join(', ') : v;
        };
        const audited = header(AUDITED_READS_HEADER);
        return {
          status: response.statusCode,
          text,
          contentType: header('content-type') ?? '',
          cacheControl: header('cache-control'),
          auditedReads: audited !== undefined && /^\d+$/.test(audited) ? Number(audited) : undefined,
          requestId: call.requestId,
          shared: false,
          attempts: attempt,
        };
      } catch (err) {
        if (attempt === 1 && !call.mutation && !signal.aborted && wasReset(err)) {
          this.counts.retried++;
          continue;
        }
        throw err;
      }
    }
  }
}

/**
 * The parsed body of an answer, or the error RemoteGraphQLDataSource would
 * have thrown for it (a non-2xx status, with the status and body in
 * extensions.response, which the gateway's failure handling reads).
 */
export function parseAnswer(answer: SubgraphAnswer): Record<string, unknown> {
  const json = /^application\/(graphql-response\+)?json/.test(answer.contentType);
  let body: unknown = answer.text;
  if (json) {
    try {
      body = JSON.parse(answer.text);
    } catch {
      body = answer.text;
    }
  }
  if (answer.status < 200 || answer.status >= 300) {
    const code = answer.status === 401 ? 'UNAUTHENTICATED' : answer.status === 403 ? 'FORBIDDEN' : undefined;
    throw new GraphQLError(`${answer.status}`, { extensions: { ...(code ? { code } : {}), response: { status: answer.status, body } } });
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error('Expected a JSON object from the subgraph.');
  return body as Record<string, unknown>;
}
