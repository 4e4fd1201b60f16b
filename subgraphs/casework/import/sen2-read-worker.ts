/**
 * The SEN2 reader's thread (sen2-read.ts starts it): parses the return and checks
 * each person while the importer's thread writes the people before them, so on two
 * cores neither waits on the other, and the parse's garbage is collected on this
 * thread's own heap. Bytes arrive a chunk at a time when asked for; checked people
 * go back in batches, at most READ_AHEAD of them not yet taken.
 */
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { validatePerson } from './sen2-validate';
import { Sen2SyntaxError, streamSen2 } from './sen2-xml';
import { READ_AHEAD, READ_BATCH, READER_NICENESS, type FromReader, type Checked, type ToReader } from './sen2-read';

// On Linux a thread has a priority of its own (the calling thread's, for pid 0). The reader runs ahead of
// the writes by design (READ_AHEAD), so when the cores are busy it gives way to the importer's thread and
// to PostgreSQL, whose pace is the import's. `node dist/bench/sen2-import.js 100000 new` on two cores,
// six alternated pairs: faster in five (by 0.4-5.0 s of 24-33), slower in one (by 2.4 s). Elsewhere the
// call would lower the whole process.
if (process.platform === 'linux') {
  try {
    setPriority(Math.min(19, getPriority() + READER_NICENESS));
  } catch {
    // Not allowed to (a sandbox): it reads at the importer's priority.
  }
}

const port = parentPort!;
const { today } = workerData as { today: string };
const post = (message: FromReader) => port.postMessage(message);

const inputs: Array<Extract<ToReader, { type: 'bytes' | 'end' }>> = [];
let taken = 0;
let wake: (() => void) | null = null;
port.on('message', (m: ToReader) => {
  if (m.type === 'taken') taken++;
  else inputs.push(m);
  wake?.();
});
const until = async (ready: () => boolean) => {
  while (!ready()) await new Promise<void>((resolve) => (wake = resolve));
  wake = null;
};

async function* input(): AsyncIterable<Uint8Array> {
  for (;;) {
    post({ type: 'more' });
    await until(() => inputs.length > 0);
    const m = inputs.shift()!;
    if (m.type === 'end') return;
    yield m.chunk;
  }
}

let batch: Checked[] = [];
let sent = 0;
const send = async () => {
  if (!batch.length) return;
  post({ type: 'people', people: batch });
  batch = [];
  sent++;
  await until(() => sent - taken < READ_AHEAD);
};

async function read(): Promise<void> {
  try {
    const { persons } = await streamSen2(input(), {
      header: (header) => post({ type: 'header', header }),
      person: async (node, position) => {
        const { person, problems } = validatePerson(node, position, today);
        batch.push({ position, person, problems });
        if (batch.length >= READ_BATCH) await send();
      },
      progress: (bytes) => post({ type: 'progress', bytes }),
    });
    await send();
    post({ type: 'done', persons });
  } catch (err) {
    await send();
    if (err instanceof Sen2SyntaxError) post({ type: 'syntax', message: err.message, line: err.line, column: err.column, path: err.path });
    else post({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  }
}

void read();
