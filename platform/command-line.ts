/**
 * How every command-line tool reads its arguments, so they all behave alike:
 * node:util's parseArgs underneath (`--user name` and `--user=name` both work,
 * `--` ends the options), `-h`/`--help` answered on stdout with exit 0, and a
 * usage error (unknown option, missing value, missing or extra file) answered on
 * stderr with the usage line and exit 2. Messages name the option, never a value
 * given for it.
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';

export interface CommandOption {
  /** 'string' takes a value (`--user name` or `--user=name`); 'boolean' is a switch. */
  type: 'string' | 'boolean';
  /** What the value is, in the usage line: `<name>`. */
  value?: string;
  description: string;
  required?: boolean;
}

export interface CommandSpec<O extends Record<string, CommandOption> = Record<string, CommandOption>> {
  /** How it is run, up to its arguments: `npm run import:sen2 --`. */
  command: string;
  /** What it does, in a sentence. */
  summary: string;
  /** The file it reads, when it reads one; `many` when it takes several (a folder or a list). */
  file?: { name: string; description: string; missing: string; many?: boolean };
  options: O;
  /** Lines after the options: exit codes, accepted values. */
  notes?: readonly string[];
}

/** The options as given: a string option's value (undefined when left out, unless required), a switch's true or false. */
export type OptionValues<O extends Record<string, CommandOption>> = {
  [K in keyof O]: O[K]['type'] extends 'boolean' ? boolean : O[K]['required'] extends true ? string : string | undefined;
};

export interface CommandLine<O extends Record<string, CommandOption>> {
  options: OptionValues<O>;
  /** The file named (the first, for a command taking several), or '' for a command that reads none. */
  file: string;
  /** Every file named, in order, for a command that takes several (`file.many`). */
  files?: string[];
}

export type ParsedCommandLine<O extends Record<string, CommandOption>> = { kind: 'run'; args: CommandLine<O> } | { kind: 'help' } | { kind: 'usage'; problem: string };

/** Declares a command; `const` keeps each option's type, so its value is typed. */
export function defineCommand<const O extends Record<string, CommandOption>>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

const optionHead = (name: string, o: CommandOption) => `--${name}${o.type === 'string' ? ` ${o.value ?? '<value>'}` : ''}`;

/** `Usage: <command> <file> [--option <value>] ...` */
export function usageLine(spec: CommandSpec): string {
  const options = Object.entries(spec.options).map(([name, o]) => (o.required ? optionHead(name, o) : `[${optionHead(name, o)}]`));
  return ['Usage:', spec.command, ...(spec.file ? [spec.file.name] : []), ...options].join(' ');
}

/** The usage line, what the command does, each argument and option, then the notes. */
export function helpText(spec: CommandSpec): string {
  const rows: Array<[string, string]> = [
    ...(spec.file ? [[spec.file.name, spec.file.description] as [string, string]] : []),
    ...Object.entries(spec.options).map(([name, o]): [string, string] => [optionHead(name, o), `${o.description}${o.required ? ' (required)' : ''}`]),
    ['-h, --help', 'this help'],
  ];
  const width = Math.max(...rows.map(([head]) => head.length));
  return [usageLine(spec), '', spec.summary, '', ...rows.map(([head, text]) => `  ${head.padEnd(width)}  ${text}`), ...(spec.notes?.length ? ['', ...spec.notes] : [])].join('\n');
}

/** Pure: what the arguments ask for. */
export function parseCommandLine<O extends Record<string, CommandOption>>(spec: CommandSpec<O>, argv: readonly string[]): ParsedCommandLine<O> {
  const declared = Object.fromEntries(Object.entries(spec.options).map(([name, o]) => [name, { type: o.type }]));
  const { tokens } = parseArgs({ args: [...argv], options: { ...declared, help: { type: 'boolean', short: 'h' } }, strict: false, allowPositionals: true, tokens: true });
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) return { kind: 'help' };
  const values: Record<string, string | boolean> = {};
  let file: string | null = null;
  const files: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'option-terminator') continue;
    if (t.kind === 'positional') {
      if (!spec.file) return { kind: 'usage', problem: `Unexpected argument "${t.value}".` };
      if (file !== null && !spec.file.many) return { kind: 'usage', problem: `Only one ${spec.file.name} at a time; got "${file}" and "${t.value}".` };
      file ??= t.value;
      files.push(t.value);
      continue;
    }
    const option = Object.hasOwn(spec.options, t.name) ? spec.options[t.name] : undefined;
    if (!option) return { kind: 'usage', problem: `Unknown option ${t.rawName}.` };
    if (option.type === 'boolean') {
      if (t.value !== undefined) return { kind: 'usage', problem: `${t.rawName} takes no value.` };
      values[t.name] = true;
    } else {
      // `--user --skip-invalid`: parseArgs takes the next option as the value; a value that looks like an option is a forgotten one.
      if (t.value === undefined || t.value === '' || (!t.inlineValue && t.value.startsWith('-'))) return { kind: 'usage', problem: `${t.rawName} needs a value.` };
      values[t.name] = t.value;
    }
  }
  for (const [name, o] of Object.entries(spec.options)) {
    if (o.type === 'boolean') values[name] ??= false;
    else if (o.required && values[name] === undefined) return { kind: 'usage', problem: `--${name} is required.` };
  }
  if (spec.file && file === null) return { kind: 'usage', problem: spec.file.missing };
  return { kind: 'run', args: { options: values as OptionValues<O>, file: file ?? '', ...(spec.file?.many ? { files } : {}) } };
}

/**
 * Reads the arguments for a command: the arguments to run with, or, when there is
 * nothing to run, the exit code after printing the help (0) or the problem and
 * the usage line (2).
 */
export function readCommandLine<O extends Record<string, CommandOption>>(spec: CommandSpec<O>, argv: readonly string[], io: { out: (text: string) => void; err: (text: string) => void }): CommandLine<O> | 0 | 2 {
  const parsed = parseCommandLine(spec, argv);
  if (parsed.kind === 'run') return parsed.args;
  if (parsed.kind === 'help') {
    io.out(helpText(spec));
    return 0;
  }
  io.err(`${parsed.problem}\n${usageLine(spec)}`);
  return 2;
}

/** The operating-system login, as the user an import is recorded under when no --user is given. */
export function loginName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER || 'unknown';
  }
}
