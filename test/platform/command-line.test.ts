import { runCli as importSen2, SEN2_COMMAND } from '../../subgraphs/casework/import/cli';
import { DFE_COMMAND, main as importDfe } from '../../subgraphs/governance/import/cli';
import { main as importHealthAdvice } from '../../subgraphs/health/import/health-advice-cli';
import { main as importReferrals } from '../../subgraphs/health/import/referrals-cli';
import { importCommand } from '../../subgraphs/health/import/run';
import { TOKEN_COMMAND } from '../../infra/token';
import { defineCommand, helpText, parseCommandLine, readCommandLine, usageLine, type CommandSpec } from '../../platform/command-line';

const COMMAND = defineCommand({
  command: 'npm run thing --',
  summary: 'Does the thing.',
  file: { name: '<file.csv>', description: 'the input', missing: 'Which file?' },
  options: {
    user: { type: 'string', value: '<name>', description: 'who' },
    'skip-invalid': { type: 'boolean', description: 'skip' },
  },
  notes: ['Exit codes: 0 done.'],
});

const run = (argv: string[]) => {
  const parsed = parseCommandLine(COMMAND, argv);
  if (parsed.kind !== 'run') throw new Error(`not run: ${JSON.stringify(parsed)}`);
  return parsed.args;
};
const problem = (argv: string[], spec: CommandSpec = COMMAND) => {
  const parsed = parseCommandLine(spec, argv);
  return parsed.kind === 'usage' ? parsed.problem : parsed.kind;
};

describe('parseCommandLine', () => {
  it('takes --flag value and --flag=value alike, in any order around the file', () => {
    expect(run(['a.csv', '--user', 'j.bloggs'])).toEqual({ file: 'a.csv', options: { user: 'j.bloggs', 'skip-invalid': false } });
    expect(run(['--user=j.bloggs', 'a.csv', '--skip-invalid'])).toEqual({ file: 'a.csv', options: { user: 'j.bloggs', 'skip-invalid': true } });
    expect(run(['--user=a=b', 'a.csv']).options.user).toBe('a=b');
    expect(run(['a.csv'])).toEqual({ file: 'a.csv', options: { user: undefined, 'skip-invalid': false } });
    expect(run(['--', '-odd-name.csv']).file).toBe('-odd-name.csv');
  });

  it('answers --help and -h whatever else is given', () => {
    for (const argv of [['--help'], ['-h'], ['a.csv', '--bogus', '--help'], ['--user', 'x', '-h']]) expect(parseCommandLine(COMMAND, argv)).toEqual({ kind: 'help' });
  });

  it('names the problem: unknown option, missing value, a value for a switch, extra or missing file', () => {
    expect(problem(['a.csv', '--bogus'])).toBe('Unknown option --bogus.');
    expect(problem(['a.csv', '-x'])).toBe('Unknown option -x.');
    expect(problem(['a.csv', '--user'])).toBe('--user needs a value.');
    expect(problem(['a.csv', '--user='])).toBe('--user needs a value.');
    expect(problem(['a.csv', '--user', '--skip-invalid'])).toBe('--user needs a value.');
    expect(problem(['a.csv', '--skip-invalid=yes'])).toBe('--skip-invalid takes no value.');
    expect(problem(['a.csv', 'b.csv'])).toBe('Only one <file.csv> at a time; got "a.csv" and "b.csv".');
    expect(problem([])).toBe('Which file?');
    expect(problem(['stray'], TOKEN_COMMAND)).toBe('Unexpected argument "stray".');
    expect(problem([], TOKEN_COMMAND)).toBe('--role is required.');
  });

  it('prints the help on stdout with 0, a problem and the usage line on stderr with 2', () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
    expect(readCommandLine(COMMAND, ['--help'], io)).toBe(0);
    expect(out).toEqual([helpText(COMMAND)]);
    expect(readCommandLine(COMMAND, ['--bogus'], io)).toBe(2);
    expect(err).toEqual([`Unknown option --bogus.\n${usageLine(COMMAND)}`]);
  });
});

describe('every command line tool', () => {
  const specs: Array<[string, CommandSpec]> = [
    ['import:sen2', SEN2_COMMAND],
    ['import:referrals', importCommand('import:referrals', 'referrals')],
    ['import:health-advice', importCommand('import:health-advice', 'health advice requests')],
    ['import:dfe', DFE_COMMAND],
    ['token', TOKEN_COMMAND],
  ];

  it.each(specs)('npm run %s answers --help in the same shape: usage, what it does, each option, -h', (name, spec) => {
    const lines = helpText(spec).split('\n');
    expect(lines[0]).toBe(usageLine(spec));
    expect(lines[0]).toMatch(new RegExp(`^Usage: npm run ${name} -- `));
    expect(lines[1]).toBe('');
    expect(lines[2]).toBe(spec.summary);
    for (const option of Object.keys(spec.options)) expect(lines.some((l) => l.startsWith(`  --${option}`))).toBe(true);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}-h, --help +this help$/));
  });

  const quiet = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), open: () => Promise.reject(new Error('no database in this test')) } };
  };

  it.each([
    ['import:referrals', importReferrals],
    ['import:health-advice', importHealthAdvice],
    ['import:dfe', importDfe],
  ] as const)('npm run %s: --help exits 0 on stdout; --user=name is taken, and a missing file is refused before any database', async (name, main) => {
    const help = quiet();
    expect(await main(['--help'], help.io)).toBe(0);
    expect(help.out.join('\n')).toMatch(new RegExp(`^Usage: npm run ${name} -- <file.csv>`));
    expect(help.err).toEqual([]);
    const missing = quiet();
    expect(await main(['/nonexistent/file.csv', '--user=j.bloggs'], missing.io)).toBe(2);
    expect(missing.err.join('\n')).toContain('No such file');
    const bad = quiet();
    expect(await main(['a.csv', '--usr=j.bloggs'], bad.io)).toBe(2);
    // import:dfe takes several files and a --release after the shared options.
    expect(bad.err.join('\n')).toMatch(new RegExp(`^Unknown option --usr\\.\\nUsage: npm run ${name} -- <file\\.csv>( \\.\\.\\.)? \\[--skip-invalid\\] \\[--user <name>\\]( \\[--release <year>\\])?$`));
  });

  it('npm run import:sen2: --help exits 0 on stdout; --case-extract=file is taken', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await importSen2(['-h'])).toBe(0);
      expect(log.mock.calls[0][0]).toBe(helpText(SEN2_COMMAND));
      expect(await importSen2(['/nonexistent/a.xml', '--case-extract=/nonexistent/b.csv', '--user=x'])).toBe(2);
      expect(error.mock.calls[0][0]).toBe('Cannot read /nonexistent/a.xml: no such file.');
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  });
});
