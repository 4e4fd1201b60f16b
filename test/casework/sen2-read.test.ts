import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { readSen2, READ_AHEAD, READ_BATCH, READER_NICENESS, type Checked } from '../../subgraphs/casework/import/sen2-read';
import { validatePerson } from '../../subgraphs/casework/import/sen2-validate';
import { chunksOf, Sen2SyntaxError, streamSen2 } from '../../subgraphs/casework/import/sen2-xml';
import { withUpnCheckLetter } from '../../subgraphs/toolkit/upn';
import { workerScript } from '../../subgraphs/toolkit/worker-script';
import { person, planRequest, sen2 } from './sen2-builder';

const TODAY = '2026-11-22';

/** A return of n people, every seventh with a problem (an impossible birth date). */
function aReturn(n: number): string {
  return sen2(
    Array.from({ length: n }, (_, i) =>
      person(
        { Surname: `Surname${i}`, Forename: 'Ann', PersonBirthDate: i % 7 === 6 ? '2012-02-30' : '2012-03-04', Sex: 'F', UPN: withUpnCheckLetter(`123${String(i).padStart(9, '0')}`) },
        [planRequest({ received: '2023-01-02', decided: '2023-02-10', assessed: '2023-05-01', start: '2023-05-22', meeting: '2024-05-01', reviewOutcome: 'M', lastReview: '2024-05-20' })],
      ),
    ),
  );
}

describe('the SEN2 return read on its own thread', () => {
  it('gives every person, in file order, checked exactly as reading on this thread does', async () => {
    const xml = aReturn(600);
    const here: Checked[] = [];
    await streamSen2(chunksOf(xml, 4096), { person: (node, position) => void here.push({ position, ...validatePerson(node, position, TODAY) }) });
    const there: Checked[] = [];
    let header = null;
    const { persons } = await readSen2(chunksOf(xml, 4096), TODAY, { header: (h) => (header = h), person: (c) => void there.push(c) });
    expect(persons).toBe(600);
    expect(header).toEqual({ collection: 'SEN2', year: '2024', referenceDate: '2024-01-18', lea: '891' });
    expect(there).toEqual(here);
    expect(there.filter((c) => c.problems.length)).toHaveLength(85);
  });

  // A thread's niceness is its own on Linux: /proc/self/task/<thread>/stat, the 19th field.
  (process.platform === 'linux' ? it : it.skip)('the reader\'s thread gives way to the importer\'s: nicer by READER_NICENESS, the importer\'s unchanged', async () => {
    const niceOf = (thread: string) => {
      try {
        return Number(readFileSync(`/proc/self/task/${thread}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[16]);
      } catch {
        return NaN; // a thread that ended meanwhile
      }
    };
    const importer = niceOf(String(process.pid));
    const xml = aReturn(10);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // The reader is kept waiting for the rest of the return while its thread is looked at.
    async function* slowly() {
      yield xml.slice(0, 300);
      await held;
      yield xml.slice(300);
    }
    const reading = readSen2(slowly(), TODAY, { person: () => undefined });
    let threads: number[] = [];
    for (let i = 0; i < 200 && !threads.some((n) => n > importer); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      threads = readdirSync('/proc/self/task').map(niceOf);
    }
    release();
    expect(await reading).toEqual({ persons: 10 });
    expect(threads).toContain(Math.min(19, importer + READER_NICENESS));
    expect(niceOf(String(process.pid))).toBe(importer);
  });

  it('a file that cannot be read is a Sen2SyntaxError with its line', async () => {
    const xml = aReturn(3).replace('</Surname>', '</Surnam>');
    await expect(readSen2(chunksOf(xml, 512), TODAY, { person: () => undefined })).rejects.toMatchObject({ name: 'Sen2SyntaxError', line: 9 });
    await expect(readSen2(chunksOf(xml, 512), TODAY, { person: () => undefined })).rejects.toBeInstanceOf(Sen2SyntaxError);
  });

  it('a source that fails fails the reading, after the people before it', async () => {
    const xml = aReturn(50);
    async function* failing() {
      let sent = 0;
      for await (const chunk of chunksOf(xml, 1024)) {
        if ((sent += chunk.length) > xml.length / 2) throw new Error('disk read failed');
        yield chunk;
      }
    }
    const seen: number[] = [];
    await expect(readSen2(failing(), TODAY, { person: (c) => void seen.push(c.position) })).rejects.toThrow('disk read failed');
    expect(seen.length).toBeLessThan(50);
  });

  it('reads only so far ahead of people not yet taken, and stops reading when the taker gives up', async () => {
    const xml = aReturn(6000);
    const chunks = Math.ceil(Buffer.byteLength(xml) / 4096);
    let pulled = 0;
    let closed = false;
    async function* counted() {
      try {
        for await (const chunk of chunksOf(xml, 4096)) {
          pulled++;
          yield chunk;
        }
      } finally {
        closed = true;
      }
    }
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const reading = readSen2(counted(), TODAY, {
      person: async (c) => {
        if (c.position === 1) await held;
        if (c.position === 2) throw new Error('the taker gave up');
      },
    });
    let pulledWhileHeld: number;
    try {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      pulledWhileHeld = pulled;
    } finally {
      release();
    }
    await expect(reading).rejects.toThrow('the taker gave up');
    expect(closed).toBe(true);
    // People ahead of the one held: READ_AHEAD batches, and the chunks the next batch was being read from.
    const perChunk = 6000 / chunks;
    expect(pulledWhileHeld).toBeLessThan(((READ_AHEAD + 1) * READ_BATCH) / perChunk + 5);
    expect(pulledWhileHeld).toBeLessThan(chunks / 2);
  });
  it('starts its thread without GraphQL: the thread loads the parser and the checks, not the API\'s modules', async () => {
    // The reader's script run on a thread of its own, as readSen2 starts it, reporting every module it loaded.
    const script = workerScript(require.resolve('../../subgraphs/casework/import/sen2-read'), 'sen2-read-worker');
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
       require(${JSON.stringify(script)});
       parentPort.postMessage({ type: 'modules', modules: Object.keys(require.cache) });`,
      { eval: true, workerData: { today: TODAY } },
    );
    try {
      const modules = await new Promise<string[]>((resolve, reject) => {
        worker.on('message', (m: { type: string; modules?: string[] }) => m.type === 'modules' && resolve(m.modules!));
        worker.on('error', reject);
      });
      const packages = new Set(modules.map((m) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(m)?.[1]).filter(Boolean));
      expect(packages.has('saxes')).toBe(true);
      // graphql and type-graphql (with graphql-scalars and semver) were about 370 modules and 0.1 s of each import's start.
      expect([...packages].filter((p) => /graphql|semver|yoga/.test(p!))).toEqual([]);
      expect(modules.length).toBeLessThan(40);
    } finally {
      await worker.terminate();
    }
  });
});
