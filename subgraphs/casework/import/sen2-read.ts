/**
 * A SEN2 return read and checked on a thread of its own (sen2-read-worker.ts): the
 * parse and each person's checks run beside the importer's writes instead of
 * between them. In the benchmark's import of 100,000 people the parse, the checks
 * and their garbage took about a third of the importer's thread, time in which
 * PostgreSQL waited for its next statement.
 *
 * The people come back in file order, each with its problems, exactly as reading on
 * this thread gave them; a file that cannot be read throws Sen2SyntaxError here.
 * The reader runs at most READ_AHEAD × READ_BATCH people ahead of the handlers, so
 * memory stays bounded whatever the return's size.
 */
import { Worker } from 'node:worker_threads';
import { workerScript } from '../../toolkit/worker-script';
import type { Problem, Sen2Person } from './sen2-validate';
import { Sen2SyntaxError, type Sen2Header } from './sen2-xml';

/** How much nicer than the importer's thread the reader's is on Linux (higher gives way; 19 at most): see sen2-read-worker.ts. */
export const READER_NICENESS = 10;

/** People per message from the reader. */
export const READ_BATCH = 250;
/** Messages the reader may send before the first is taken: about one write chunk (SEN2_CHUNK) ahead. */
export const READ_AHEAD = 8;

/** One person as checked: `person` null when any problem was found. */
export interface Checked {
  position: number;
  person: Sen2Person | null;
  problems: Problem[];
}

export type ToReader = { type: 'bytes'; chunk: Uint8Array } | { type: 'end' } | { type: 'taken' };
export type FromReader =
  | { type: 'more' }
  | { type: 'header'; header: Sen2Header }
  | { type: 'progress'; bytes: number }
  | { type: 'people'; people: Checked[] }
  | { type: 'done'; persons: number }
  | { type: 'syntax'; message: string; line: number; column: number; path: string | null }
  | { type: 'failed'; message: string };

export interface CheckedHandlers {
  /** Called once the header has been read (before the first person). */
  header?(header: Sen2Header): void;
  /** Each person in file order, checked. Awaited before the next. */
  person(checked: Checked): void | Promise<void>;
  /** Bytes read so far. */
  progress?(bytes: number): void;
}

type Event = FromReader | { type: 'stopped'; error: Error };

/** Reads and checks the return on the reader's thread; resolves with how many people it holds. */
export async function readSen2(input: AsyncIterable<string | Uint8Array>, today: string, handlers: CheckedHandlers): Promise<{ persons: number }> {
  const source = input[Symbol.asyncIterator]();
  const worker = new Worker(workerScript(__filename, 'sen2-read-worker'), { workerData: { today } });
  const events: Event[] = [];
  let wake: (() => void) | null = null;
  const push = (event: Event) => {
    events.push(event);
    wake?.();
  };
  // Bytes are sent as soon as the reader asks, even while a handler is busy, so it reads on meanwhile.
  const feed = async () => {
    const next = await source.next();
    if (next.done) return worker.postMessage({ type: 'end' } satisfies ToReader);
    // A chunk may be a view of a larger buffer (a file stream's pool, a slice of a whole file), which
    // posting would copy whole: its own bytes are copied once and handed over.
    const chunk = typeof next.value === 'string' ? new TextEncoder().encode(next.value) : new Uint8Array(next.value);
    worker.postMessage({ type: 'bytes', chunk } satisfies ToReader, [chunk.buffer]);
  };
  worker.on('message', (m: FromReader) => {
    if (m.type === 'more') feed().catch((err: unknown) => push({ type: 'stopped', error: err instanceof Error ? err : new Error(String(err)) }));
    else push(m);
  });
  worker.on('error', (error) => push({ type: 'stopped', error }));
  worker.on('exit', () => push({ type: 'stopped', error: new Error('the SEN2 reader stopped before the end of the return') }));
  try {
    for (;;) {
      while (!events.length) await new Promise<void>((resolve) => (wake = resolve));
      const event = events.shift()!;
      switch (event.type) {
        case 'header':
          handlers.header?.(event.header);
          break;
        case 'progress':
          handlers.progress?.(event.bytes);
          break;
        case 'people':
          for (const checked of event.people) await handlers.person(checked);
          worker.postMessage({ type: 'taken' } satisfies ToReader);
          break;
        case 'done':
          return { persons: event.persons };
        case 'syntax':
          throw new Sen2SyntaxError(event.message, event.line, event.column, event.path);
        case 'failed':
          throw new Error(event.message);
        case 'stopped':
          throw event.error;
        case 'more':
          break;
      }
    }
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
    await source.return?.();
  }
}
