import { allLive, buildCorpus, runCorpus, type Target } from '../../bench/support/bad-input-corpus';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * The fast bad-input corpus (bench/bad-input-corpus.ts sends the whole one to a
 * stack started as `npm start` starts it): requests generated from the schemas
 * (every argument of every root field given wrong and awkward values, as literals
 * and as variables), malformed HTTP and JSON, forged tokens, malformed `_entities`,
 * sent in production mode to the gateway and to each subgraph's own port. No
 * answer may be a fault (5xx, INTERNAL_SERVER_ERROR) or carry an address, a stack
 * trace, SQL or personal data; a caller's mistake is a 4xx naming what was wrong;
 * and every process still answers afterwards.
 */
describe('the bad-input corpus, in production', () => {
  let stack: TestStack;
  let targets: Target[];
  const unexpected: string[] = [];
  const consoleError = console.error;
  beforeAll(async () => {
    // Faults are logged with console.error by the servers: counted here, not printed.
    console.error = (...args: unknown[]) => void unexpected.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
    stack = await startTestStack({ production: true, limits: { maxDepth: 10, maxAliases: 15, maxTokens: 2000, maxCost: 50000, maxDirectives: 20, maxRepresentations: 50, maxStringLength: 300 } });
    targets = [{ name: 'gateway', url: stack.gateway.url }, ...Object.entries(stack.subgraphs).map(([name, s]) => ({ name, url: s.url }))];
  }, 120_000);
  afterAll(async () => {
    console.error = consoleError;
    await stack?.stop();
  });

  it('answers every case as a caller\'s mistake or an ordinary answer, never a fault or a leak, and every process stays up', async () => {
    const cases = await buildCorpus({
      targets,
      sign: ({ roles, org, user, expiresIn }) => stack.issuer.token(roles as never, { org, user, expiresIn }),
      fast: true,
      maxStringLength: 300,
      maxRepresentations: 50,
    });
    expect(cases.length).toBeGreaterThan(300);
    const run = await runCorpus(cases, targets, { concurrency: 4, timeoutMs: 10_000 });
    expect(run.sent).toBe(cases.length);
    const failures = run.failures.map((f) => `${f.case.name} -> ${f.outcome}: ${f.wrong.join('; ')}`);
    expect(failures).toEqual([]);
    // Refusals and answers both occurred: the corpus reached the resolvers as well as the checks.
    expect([...run.outcomes.keys()].some((o) => o.startsWith('400 BAD_USER_INPUT'))).toBe(true);
    expect([...run.outcomes.keys()].some((o) => o.startsWith('200 '))).toBe(true);
    expect(await allLive(targets)).toEqual({ gateway: true, casework: true, health: true, governance: true });
    expect(unexpected.filter((l) => /unexpected/i.test(l))).toEqual([]);
  }, 120_000);
});
