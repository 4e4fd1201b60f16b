// Over 300 lines: one corpus, generated from the schemas, with the rule that judges each answer beside the case that needs it; split, a case and its verdict would live apart.
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';

/**
 * A corpus of requests a careless or hostile caller might send, generated from the
 * schemas the stack serves (schema/*.graphql, the same types introspection gives),
 * and sent to the gateway and to each subgraph's own port. Each case says what a
 * correct answer looks like; judge() says whether an answer is one, and why not.
 *
 *   refuse  the caller's mistake: HTTP 4xx; a GraphQL refusal is 400 with
 *           BAD_USER_INPUT, GRAPHQL_VALIDATION_FAILED, GRAPHQL_PARSE_FAILED or
 *           BAD_REQUEST, naming the argument (or variable) when there is one
 *   survive odd but possibly legitimate (a negative page size, a non-UUID id,
 *           SQL-looking text): any answer but a fault
 *
 * Every answer, whatever the case: no 5xx, no INTERNAL_SERVER_ERROR, no subgraph
 * address, no stack trace, no SQL, nothing shaped like personal data in an error.
 */

/** The repository: two folders up from the source, three from dist/. */
const ROOT = [join(__dirname, '..', '..'), join(__dirname, '..', '..', '..')].find((d) => existsSync(join(d, 'schema', 'supergraph.graphql')))!;

export interface Target {
  /** "gateway" or the subgraph's name. */
  name: string;
  /** The GraphQL endpoint. */
  url: string;
}

export interface TokenClaims {
  roles: string[];
  org: string;
  user: string;
  /** jose's setExpirationTime: a lifetime ("10m") or an epoch in seconds (a past one for an expired token). */
  expiresIn?: string | number;
}

export interface CorpusCase {
  name: string;
  target: string;
  expect: 'refuse' | 'survive';
  /** The argument (or variable) a refusal must name. */
  names?: string[];
  /** A fetch request, or raw bytes for a socket (malformed HTTP). */
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  raw?: string;
  /** Checks the x-request-id answered is a plain identifier (not the caller's bad one). */
  checkRequestId?: boolean;
}

export interface Answer {
  status: number; // 0: no HTTP answer
  text: string;
  headers: Record<string, string>;
  ms: number;
  hung: boolean;
}

const OK_REFUSAL_CODES = new Set(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_REQUEST', 'UNAUTHENTICATED', 'PAYLOAD_TOO_LARGE', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE', 'UNSUPPORTED_MEDIA_TYPE']);

function schemaOf(name: string): GraphQLSchema {
  const file = name === 'gateway' ? 'supergraph' : name;
  return buildSchema(readFileSync(join(ROOT, 'schema', `${file}.graphql`), 'utf8'), { assumeValidSDL: true });
}

/** The organisation that owns a root field in the supergraph, for a token that may reach it. */
function ownerOf(field: GraphQLField<unknown, unknown>, target: string): string {
  if (target !== 'gateway') return target;
  const directive = field.astNode?.directives?.find((d) => d.name.value === 'join__field');
  const graph = directive?.arguments?.find((a) => a.name.value === 'graph')?.value;
  return graph && graph.kind === 'EnumValue' ? graph.value.toLowerCase() : 'governance';
}

const ROLE_FOR: Record<string, { roles: string[]; org: string }> = {
  casework: { roles: ['la_caseworker'], org: 'LA' },
  health: { roles: ['designated_clinical_officer'], org: 'ICB' },
  governance: { roles: ['admin'], org: 'LA' },
};

const UUID = '00000000-0000-4000-8000-000000000001';

/** An enum value in a JSON value meant for a literal: printed bare. */
class EnumLiteral {
  constructor(readonly value: string) {}
  toJSON(): string {
    return this.value;
  }
}

function literal(value: unknown): string {
  if (value instanceof EnumLiteral) return value.value;
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (typeof value === 'object') return `{ ${Object.entries(value as object).map(([k, v]) => `${k}: ${literal(v)}`).join(', ')} }`;
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

/** A value the type accepts, for the arguments not under test. */
function goodValue(type: GraphQLInputType, depth = 0): unknown {
  if (isNonNullType(type)) return goodValue(type.ofType, depth);
  if (isListType(type)) return [goodValue(type.ofType, depth)];
  if (isEnumType(type)) return new EnumLiteral(type.getValues()[0].name);
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) if (isNonNullType(f.type) && f.defaultValue === undefined && depth < 5) out[f.name] = goodValue(f.type, depth + 1);
    return out;
  }
  switch (type.name) {
    case 'Int': return 1;
    case 'Float': return 1.5;
    case 'Boolean': return true;
    case 'Date': return '2025-01-01';
    case 'ID': return UUID;
    default: return 'x';
  }
}

interface BadValue {
  label: string;
  value: unknown;
  expect: 'refuse' | 'survive';
}

/** Wrong and awkward values for a named input type. */
function badValues(type: GraphQLInputType, maxStringLength: number): BadValue[] {
  const named = getNamedType(type);
  const common: BadValue[] = [{ label: 'an object', value: { a: 1 }, expect: 'refuse' }];
  if (isEnumType(named)) {
    return [
      { label: 'an unknown enum value', value: new EnumLiteral('NOT_A_VALUE'), expect: 'refuse' },
      { label: 'an enum value in lower case', value: new EnumLiteral(named.getValues()[0].name.toLowerCase()), expect: 'refuse' },
      { label: 'a number for an enum', value: 7, expect: 'refuse' },
      ...common,
    ];
  }
  if (isInputObjectType(named)) {
    return [
      { label: 'an unknown input field', value: { notAField: 1 }, expect: 'refuse' },
      { label: 'a string for an input object', value: 'x', expect: 'refuse' },
    ];
  }
  const longText = 'x'.repeat(maxStringLength + 1);
  switch (named.name) {
    case 'Int':
      return [
        { label: 'a string for an Int', value: '12', expect: 'refuse' },
        { label: 'a fraction for an Int', value: 1.5, expect: 'refuse' },
        { label: 'an Int over 32 bits', value: 2147483648, expect: 'refuse' },
        { label: 'a huge number for an Int', value: 1e20, expect: 'refuse' },
        { label: 'a negative Int', value: -1, expect: 'survive' },
        { label: 'the largest Int', value: 2147483647, expect: 'survive' },
        { label: 'zero', value: 0, expect: 'survive' },
        ...common,
      ];
    case 'Float':
      return [{ label: 'a string for a Float', value: 'x', expect: 'refuse' }, { label: 'a huge Float', value: 1e308, expect: 'survive' }, ...common];
    case 'Boolean':
      return [{ label: 'a string for a Boolean', value: 'true', expect: 'refuse' }, { label: 'a number for a Boolean', value: 0, expect: 'refuse' }];
    case 'Date':
      return [
        { label: '30 February', value: '2026-02-30', expect: 'refuse' },
        { label: 'month 13', value: '2026-13-01', expect: 'refuse' },
        { label: '29 February in a common year', value: '2025-02-29', expect: 'refuse' },
        { label: 'year zero', value: '0000-00-00', expect: 'refuse' },
        { label: 'a date without leading zeros', value: '2026-1-1', expect: 'refuse' },
        { label: 'a British-style date', value: '28/02/2026', expect: 'refuse' },
        { label: 'an empty Date', value: '', expect: 'refuse' },
        { label: 'a number for a Date', value: 20260101, expect: 'refuse' },
        { label: 'a timestamp for a Date', value: '2026-02-28T00:00:00Z', expect: 'refuse' },
        { label: 'a Date with a NUL', value: '2026-02-28\u0000', expect: 'refuse' },
        { label: 'an expanded year', value: '+002026-01-01', expect: 'refuse' },
        { label: 'the year 9999', value: '9999-12-31', expect: 'survive' },
      ];
    case 'ID':
      return [
        { label: 'an id that is not a UUID', value: 'not-a-uuid', expect: 'survive' },
        { label: 'an empty id', value: '', expect: 'survive' },
        { label: 'an id with a NUL', value: `${UUID}\u0000`, expect: 'refuse' },
        { label: 'an over-long id', value: longText, expect: 'refuse' },
        { label: 'a fraction for an ID', value: 12.5, expect: 'refuse' },
        { label: 'a boolean for an ID', value: true, expect: 'refuse' },
        { label: 'an upper-case UUID', value: UUID.toUpperCase(), expect: 'survive' },
        { label: 'SQL in an id', value: "1' OR '1'='1", expect: 'survive' },
        ...common,
      ];
    default:
      // String and any other scalar taken as text.
      return [
        { label: 'a number for a String', value: 123, expect: 'refuse' },
        { label: 'a boolean for a String', value: true, expect: 'refuse' },
        { label: 'a NUL in a String', value: 'a\u0000b', expect: 'refuse' },
        { label: 'an over-long String', value: longText, expect: 'refuse' },
        { label: 'SQL in a String', value: "'; DROP TABLE child; --", expect: 'survive' },
        { label: 'a lone surrogate', value: '\ud800x', expect: 'survive' },
        { label: 'control characters', value: '\u0001\u001b[31m\u007f', expect: 'survive' },
        { label: 'an empty String', value: '', expect: 'survive' },
        ...common,
      ];
  }
}

/** One slot to put a bad value in: a root argument, or a field inside an input-object argument. */
interface Slot {
  operation: 'query' | 'mutation';
  field: GraphQLField<unknown, unknown>;
  arg: GraphQLArgument;
  /** Path inside the argument's value to the field under test ([] for the argument itself). */
  inner: string[];
  type: GraphQLInputType;
}

function slotsOf(schema: GraphQLSchema): Slot[] {
  const slots: Slot[] = [];
  for (const [operation, root] of [['query', schema.getQueryType()], ['mutation', schema.getMutationType()]] as const) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      if (field.name.startsWith('_')) continue;
      for (const arg of field.args) {
        slots.push({ operation, field, arg, inner: [], type: arg.type });
        const walk = (type: GraphQLInputType, inner: string[], depth: number) => {
          const named = getNullableType(type);
          if (!isInputObjectType(named) || depth > 2) return;
          for (const f of Object.values(named.getFields())) {
            slots.push({ operation, field, arg, inner: [...inner, f.name], type: f.type });
            walk(f.type, [...inner, f.name], depth + 1);
          }
        };
        walk(arg.type, [], 0);
      }
    }
  }
  return slots;
}

function put(container: unknown, path: string[], value: unknown): unknown {
  if (!path.length) return value;
  const out = { ...(container as Record<string, unknown>) };
  out[path[0]] = put(out[path[0]] ?? {}, path.slice(1), value);
  return out;
}

function graphqlBody(query: string, variables?: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ query, ...(variables === undefined ? {} : { variables }), ...extra }, (_k, v: unknown) => (v instanceof EnumLiteral ? v.value : v));
}

/** Bad values in every argument of every root field of a target's schema, as literals and as variables. */
function argumentCases(target: string, auth: (owner: string) => Record<string, string>, options: { maxStringLength: number; fast: boolean }): CorpusCase[] {
  const schema = schemaOf(target);
  const cases: CorpusCase[] = [];
  const seenInFast = new Set<string>();
  for (const [slotIndex, slot] of slotsOf(schema).entries()) {
    const { field, arg } = slot;
    const selection = isCompositeType(getNamedType(field.type)) ? ' { __typename }' : '';
    const others = field.args.filter((a) => a !== arg && isNonNullType(a.type) && a.defaultValue === undefined);
    const otherLiterals = others.map((a) => `${a.name}: ${literal(goodValue(a.type))}`);
    const headers = { 'content-type': 'application/json', ...auth(ownerOf(field, target)) };
    const where = [arg.name, ...slot.inner].join('.');
    const bads: BadValue[] = [...badValues(slot.type, options.maxStringLength)];
    if (isNonNullType(slot.type)) bads.push({ label: 'null for a required value', value: null, expect: 'refuse' });
    for (const [badIndex, bad] of bads.entries()) {
      // The fast corpus: every kind of bad value once per scalar (and once for enums and
      // input objects), as a literal and as a variable, and every slot once more.
      const named = getNamedType(slot.type);
      const kind = `${isEnumType(named) ? 'enum' : isInputObjectType(named) ? 'input' : named.name}|${bad.label}`;
      const firstOfKind = !seenInFast.has(kind);
      seenInFast.add(kind);
      if (options.fast && !firstOfKind && badIndex !== slotIndex % bads.length) continue;
      const argValue = slot.inner.length ? put(goodValue(arg.type), slot.inner, bad.value) : bad.value;
      const name = `${target}: ${field.name}(${where}) given ${bad.label}`;
      const names = [where, arg.name, '$v'];
      cases.push({
        name: `${name}, as a literal`, target, expect: bad.expect, names, method: 'POST', headers,
        body: graphqlBody(`${slot.operation} { ${field.name}(${[`${arg.name}: ${literal(argValue)}`, ...otherLiterals].join(', ')})${selection} }`),
      });
      if (options.fast && !firstOfKind) continue;
      cases.push({
        name: `${name}, as a variable`, target, expect: bad.expect, names, method: 'POST', headers,
        body: graphqlBody(`${slot.operation}($v: ${String(arg.type)}) { ${field.name}(${[`${arg.name}: $v`, ...otherLiterals].join(', ')})${selection} }`, { v: argValue }),
      });
    }
    // A required argument left out.
    if (isNonNullType(arg.type) && arg.defaultValue === undefined && !slot.inner.length) {
      cases.push({
        name: `${target}: ${field.name} without its required ${arg.name}`, target, expect: 'refuse', names: [arg.name], method: 'POST', headers,
        body: graphqlBody(`${slot.operation} { ${field.name}${otherLiterals.length ? `(${otherLiterals.join(', ')})` : ''}${selection} }`),
      });
    }
  }
  return cases;
}

/** What is wrong with the HTTP envelope rather than the GraphQL: sent alike to every port. */
function protocolCases(target: string, auth: Record<string, string>, options: { bodyLimitBytes: number; aliasable: string }): CorpusCase[] {
  const json = { 'content-type': 'application/json', ...auth };
  const q = '{ __typename }';
  const c = (name: string, expect: CorpusCase['expect'], rest: Partial<CorpusCase>): CorpusCase => ({ name: `${target}: ${name}`, target, expect, method: 'POST', headers: json, ...rest });
  const deep = `{ ${'__typename a: __typename '.repeat(1)}${'{'.repeat(300)}${'}'.repeat(300)} }`;
  const nestedVariables = `{"query":"query($v: String) { __typename }","variables":{"v":${'['.repeat(5000)}${']'.repeat(5000)}}}`;
  return [
    c('malformed JSON', 'refuse', { body: '{"query": "{ __typename }"' }),
    c('JSON with a trailing comma', 'refuse', { body: '{"query": "{ __typename }",}' }),
    c('an empty body', 'refuse', { body: '' }),
    c('a JSON null body', 'refuse', { body: 'null' }),
    c('a JSON string body', 'refuse', { body: '"{ __typename }"' }),
    c('a JSON number body', 'refuse', { body: '42' }),
    c('an empty JSON object', 'refuse', { body: '{}' }),
    c('a query that is a number', 'refuse', { body: '{"query": 5}' }),
    c('a query that is an empty string', 'refuse', { body: '{"query": ""}' }),
    c('variables that are a string', 'refuse', { body: '{"query": "{ __typename }", "variables": "x"}' }),
    c('variables that are an array', 'refuse', { body: '{"query": "{ __typename }", "variables": [1]}' }),
    c('an operationName that is a number', 'refuse', { body: '{"query": "{ __typename }", "operationName": 3}' }),
    c('extensions that are a string', 'refuse', { body: '{"query": "{ __typename }", "extensions": "x"}' }),
    c('a persisted query hash only', 'refuse', { body: '{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0000000000000000000000000000000000000000000000000000000000000000"}}}' }),
    c('a persisted query with a wrong hash', 'refuse', { body: '{"query": "{ __typename }", "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "abc"}}}' }),
    c('a __proto__ in variables', 'survive', { body: '{"query": "query($v: String) { __typename }", "variables": {"__proto__": {"polluted": true}, "v": "x"}}' }),
    c('variables nested 5,000 deep', 'survive', { body: nestedVariables }),
    c('a batched array', 'refuse', { body: JSON.stringify([{ query: q }, { query: q }]) }),
    c('an empty batched array', 'refuse', { body: '[]' }),
    c('a body over the limit', 'refuse', { body: JSON.stringify({ query: q, variables: { pad: 'x'.repeat(options.bodyLimitBytes + 10) } }) }),
    c('no content type', 'refuse', { headers: { ...auth }, body: JSON.stringify({ query: q }) }),
    c('text/plain (a CSRF-able simple request)', 'refuse', { headers: { 'content-type': 'text/plain', ...auth }, body: JSON.stringify({ query: q }) }),
    c('form encoding', 'refuse', { headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth }, body: 'query=%7B__typename%7D' }),
    c('XML', 'refuse', { headers: { 'content-type': 'application/xml', ...auth }, body: '<query>{ __typename }</query>' }),
    c('multipart', 'refuse', { headers: { 'content-type': 'multipart/form-data; boundary=x', ...auth }, body: '--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":"{ __typename }"}\r\n--x--\r\n' }),
    c('application/graphql', 'refuse', { headers: { 'content-type': 'application/graphql', ...auth }, body: q }),
    c('JSON declared as another charset', 'survive', { headers: { 'content-type': 'application/json; charset=latin1', ...auth }, body: JSON.stringify({ query: q }) }),
    c('a GET without the CSRF header', 'refuse', { method: 'GET', path: `?query=${encodeURIComponent(q)}`, headers: { ...auth }, body: undefined }),
    c('a GET with a query string', 'survive', { method: 'GET', path: `?query=${encodeURIComponent(q)}`, headers: { 'apollo-require-preflight': 'true', ...auth }, body: undefined }),
    c('a GET with no query', 'refuse', { method: 'GET', path: '', headers: { 'apollo-require-preflight': 'true', ...auth }, body: undefined }),
    c('a GET with variables that are not JSON', 'refuse', { method: 'GET', path: `?query=${encodeURIComponent('query($v: String) { __typename }')}&variables=%7Bnot`, headers: { 'apollo-require-preflight': 'true', ...auth }, body: undefined }),
    c('a mutation by GET', 'refuse', { method: 'GET', path: `?query=${encodeURIComponent('mutation { __typename }')}`, headers: { 'apollo-require-preflight': 'true', ...auth }, body: undefined }),
    c('a subscription by GET', 'refuse', { method: 'GET', path: `?query=${encodeURIComponent('subscription { __typename }')}`, headers: { 'apollo-require-preflight': 'true', ...auth }, body: undefined }),
    c('a PUT', 'refuse', { method: 'PUT', body: JSON.stringify({ query: q }) }),
    c('a DELETE', 'refuse', { method: 'DELETE', body: undefined }),
    c('a PATCH', 'refuse', { method: 'PATCH', body: JSON.stringify({ query: q }) }),
    c('OPTIONS', 'survive', { method: 'OPTIONS', body: undefined }),
    c('HEAD', 'survive', { method: 'HEAD', headers: { 'apollo-require-preflight': 'true', ...auth }, path: `?query=${encodeURIComponent(q)}`, body: undefined }),
    c('an unknown path', 'refuse', { path: '/../graphql/../admin', body: JSON.stringify({ query: q }) }),
    c('a subscription', 'refuse', { body: graphqlBody('subscription { __typename }') }),
    c('an unknown operation name', 'refuse', { body: graphqlBody('query A { __typename }', undefined, { operationName: 'B' }) }),
    c('an operation name with a NUL', 'refuse', { body: graphqlBody('query A { __typename }', undefined, { operationName: 'A\u0000' }) }),
    c('two unnamed operations', 'refuse', { body: graphqlBody('{ __typename } { __typename }') }),
    c('two operations and none chosen', 'refuse', { body: graphqlBody('query A { __typename } query B { __typename }') }),
    c('a syntax error', 'refuse', { body: graphqlBody('{ __typename ') }),
    c('an unterminated string', 'refuse', { body: graphqlBody('{ a(b: "x) }') }),
    c('a document of only a fragment', 'refuse', { body: graphqlBody('fragment F on Query { __typename }') }),
    c('a fragment cycle', 'refuse', { body: graphqlBody('query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }') }),
    c('a fragment spreading itself', 'refuse', { body: graphqlBody('query { ...A } fragment A on Query { __typename ...A }') }),
    c('an unknown fragment', 'refuse', { body: graphqlBody('query { ...Nope }') }),
    c('an unknown field', 'refuse', { body: graphqlBody('{ notAField }') }),
    c('an unknown type in a variable', 'refuse', { body: graphqlBody('query($v: NotAType) { __typename }', { v: 1 }) }),
    c('a variable of an object type', 'refuse', { body: graphqlBody('query($v: Query) { __typename }', { v: {} }) }),
    c('an undeclared variable', 'refuse', { body: graphqlBody('{ __typename @include(if: $nope) }') }),
    c('a variable of the wrong type for a directive', 'refuse', { names: ['$b'], body: graphqlBody('query($b: Boolean!) { __typename @include(if: $b) }', { b: 'yes' }) }),
    c('a required variable missing', 'refuse', { names: ['$b'], body: graphqlBody('query($b: Boolean!) { __typename @include(if: $b) }', {}) }),
    c('an unknown directive', 'refuse', { body: graphqlBody('{ __typename @nope }') }),
    c('a directive repeated 500 times', 'refuse', { body: graphqlBody(`{ __typename ${'@include(if: true) '.repeat(500)}}`) }),
    c('1,000 aliases of __typename', 'survive', { body: graphqlBody(`{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: __typename`).join(' ')} }`) }),
    c('1,000 aliases of a field', 'refuse', { body: graphqlBody(`{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: ${options.aliasable}`).join(' ')} }`) }),
    c('300 levels of braces', 'refuse', { body: graphqlBody(deep) }),
    c('100,000 tokens', 'refuse', { body: graphqlBody(`{ ${'__typename '.repeat(100_000)}}`) }),
    c('a field repeated 20,000 times under one name', 'refuse', { body: graphqlBody(`{ ${'__typename '.repeat(20_000)}}`) }),
    c('introspection', 'survive', { body: graphqlBody('{ __schema { types { name } } }') }),
    c('deep introspection', 'refuse', { body: graphqlBody(`{ __schema { types { fields { type { ${'ofType { '.repeat(40)}name${' }'.repeat(40)} } } } } }`) }),
    c('a string with every escape', 'refuse', { body: graphqlBody('{ __typename(x: "\\u0000\\b\\f\\n\\r\\t\\"") }') }),
    c('a block string of 60,000 characters', 'refuse', { body: graphqlBody(`{ __typename(x: """${'x'.repeat(60_000)}""") }`) }),
  ];
}

/** Tokens that must be refused, alike at every port, and an x-request-id no log should take. */
async function authCases(target: string, sign: (claims: TokenClaims) => Promise<string>): Promise<CorpusCase[]> {
  const body = graphqlBody('{ __typename }');
  const good = await sign({ roles: ['la_caseworker'], org: 'LA', user: 'corpus' });
  const [h, p, s] = good.split('.');
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
  const tokens: Array<[string, string | undefined]> = [
    ['no Authorization header', undefined],
    ['a bare "Bearer"', 'Bearer'],
    ['"Bearer " and nothing', 'Bearer '],
    ['a token that is not a JWT', 'Bearer not-a-token'],
    ['three dots of garbage', 'Bearer a.b.c'],
    ['Basic credentials', 'Basic dXNlcjpwYXNz'],
    ['a token with alg none', `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${p}.`],
    ['a token with its payload changed', `Bearer ${h}.${b64({ ...claims, roles: ['admin'] })}.${s}`],
    ['a token with its signature cut', `Bearer ${h}.${p}.`],
    ['an expired token', `Bearer ${await sign({ roles: ['la_caseworker'], org: 'LA', user: 'corpus', expiresIn: Math.floor(Date.now() / 1000) - 3600 })}`],
    ['a token with an unknown organisation', `Bearer ${await sign({ roles: ['la_caseworker'], org: 'NOWHERE', user: 'corpus' })}`],
    ['a token of 20,000 characters', `Bearer ${'a'.repeat(20_000)}`],
    ['two tokens', `Bearer ${good}, Bearer ${good}`],
  ];
  const cases: CorpusCase[] = tokens.map(([name, authorization]) => ({
    name: `${target}: ${name}`, target, expect: 'refuse', method: 'POST', body,
    headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
  }));
  cases.push({
    name: `${target}: a token with an unknown role`, target, expect: 'survive', method: 'POST', body,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await sign({ roles: ['superuser'], org: 'LA', user: 'corpus' })}` },
  });
  for (const [name, id] of [['a long x-request-id', 'r'.repeat(1000)], ['an x-request-id with spaces and quotes', `a b "c" 'd'`], ['an x-request-id with a path', '../../etc/passwd'], ['an x-request-id with Latin-1', 'caf\u00e9'], ['an x-request-id with SQL', "1'; DROP TABLE audit_event; --"]] as const) {
    cases.push({ name: `${target}: ${name}`, target, expect: 'survive', checkRequestId: true, method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${good}`, 'x-request-id': id } });
  }
  return cases;
}

/** HTTP that no client library would send, written to the socket as is. */
function rawCases(target: string, auth: Record<string, string>): CorpusCase[] {
  const body = graphqlBody('{ __typename }');
  const a = `authorization: ${auth.authorization}\r\n`;
  const latin1Body = '{"query": "query($v: String) { __typename }", "variables": {"v": "caf\u00e9 \u00ff\u00fe"}}';
  const head = (extra: string) => `POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n${a}${extra}`;
  return [
    ['a NUL in a header', `${head('x-request-id: a\u0000b\r\n')}content-length: ${body.length}\r\n\r\n${body}`],
    ['a header line without a colon', `${head('nonsense\r\n')}content-length: ${body.length}\r\n\r\n${body}`],
    ['headers of 100 KB', `${head(`x-pad: ${'p'.repeat(100_000)}\r\n`)}content-length: ${body.length}\r\n\r\n${body}`],
    ['two content-lengths', `${head(`content-length: ${body.length}\r\n`)}content-length: 3\r\n\r\n${body}`],
    ['a bad chunk size', `${head('transfer-encoding: chunked\r\n')}\r\nzz\r\n${body}\r\n0\r\n\r\n`],
    ['chunked and content-length', `${head('transfer-encoding: chunked\r\n')}content-length: 5\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`],
    ['an unknown HTTP version', `POST /graphql HTTP/9.9\r\nhost: x\r\n\r\n`],
    ['a request line of garbage', 'HELLO\r\n\r\n'],
    ['a GET with a malformed percent-escape', `GET /graphql?query=%E0%A4%A HTTP/1.1\r\nhost: x\r\napollo-require-preflight: true\r\n${a}\r\n`],
    ['a GET with an over-long URL', `GET /graphql?query=${'%7B'.repeat(30_000)} HTTP/1.1\r\nhost: x\r\napollo-require-preflight: true\r\n${a}\r\n`],
  ].map(([name, raw]): CorpusCase => ({ name: `${target}: ${name}`, target, expect: 'refuse', raw })).concat(
    // Bytes invalid in UTF-8 inside a string: decoded as U+FFFD, an ordinary (odd) value.
    [{ name: `${target}: bytes invalid in UTF-8`, target, expect: 'survive' as const, raw: `${head('')}content-length: ${latin1Body.length}\r\n\r\n${latin1Body}` }],
  );
}

/** `_entities` as only a subgraph serves it: too many, malformed, of unknown types. */
function entityCases(target: string, auth: Record<string, string>, maxRepresentations: number): CorpusCase[] {
  const schema = schemaOf(target);
  // The first type this subgraph resolves by key (the SDL files carry @key, not the _Entity union).
  const keyed = Object.values(schema.getTypeMap()).find((t) => t.astNode?.kind === 'ObjectTypeDefinition' && t.astNode.directives?.some((d) => d.name.value === 'key' && !d.arguments?.some((a) => a.name.value === 'resolvable' && a.value.kind === 'BooleanValue' && !a.value.value)));
  const typename = keyed?.name ?? 'Child';
  const q = `query($representations: [_Any!]!) { _entities(representations: $representations) { __typename } }`;
  const c = (name: string, expect: CorpusCase['expect'], variables: unknown, query = q): CorpusCase => ({
    name: `${target}: _entities with ${name}`, target, expect, method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: graphqlBody(query, variables),
  });
  return [
    c(`${maxRepresentations + 1} representations`, 'refuse', { representations: Array.from({ length: maxRepresentations + 1 }, () => ({ __typename: typename, id: UUID })) }),
    c('20,000 representations', 'refuse', { representations: Array.from({ length: 20_000 }, () => ({ __typename: typename, id: UUID })) }),
    c('an empty list', 'survive', { representations: [] }),
    c('a representation without __typename', 'refuse', { representations: [{ id: UUID }] }),
    c('an unknown __typename', 'refuse', { representations: [{ __typename: 'NotAType', id: UUID }] }),
    c('a __typename that is not an entity', 'refuse', { representations: [{ __typename: 'Query' }] }),
    c('an id that is not a UUID', 'survive', { representations: [{ __typename: typename, id: 'not-a-uuid' }] }),
    c('an id that is a number', 'survive', { representations: [{ __typename: typename, id: 12 }] }),
    c('an id that is an object', 'survive', { representations: [{ __typename: typename, id: { $ne: null } }] }),
    c('an id with a NUL', 'refuse', { representations: [{ __typename: typename, id: `${UUID}\u0000` }] }),
    c('a linkKey of 60,000 characters', 'refuse', { representations: [{ __typename: typename, linkKey: 'k'.repeat(60_000) }] }),
    c('no key at all', 'survive', { representations: [{ __typename: typename }] }),
    c('a string for a representation', 'refuse', { representations: ['Child'] }),
    c('null in the list', 'refuse', { representations: [null] }),
    c('representations that are not a list', 'survive', { representations: { __typename: typename, id: UUID } }),
    c('a literal list over the limit', 'refuse', undefined, `{ _entities(representations: [${Array.from({ length: maxRepresentations + 1 }, () => `{ __typename: "${typename}", id: "${UUID}" }`).join(', ')}]) { __typename } }`),
    c('the _service query asked 100 times', 'refuse', undefined, `{ ${Array.from({ length: 100 }, (_, i) => `s${i}: _service { sdl }`).join(' ')} }`),
  ];
}

export interface CorpusOptions {
  targets: Target[];
  sign: (claims: TokenClaims) => Promise<string>;
  /** A subset that runs in seconds: every argument once, every kind of bad value once per type. */
  fast?: boolean;
  maxStringLength?: number;
  maxRepresentations?: number;
  bodyLimitBytes?: number;
}

export async function buildCorpus(options: CorpusOptions): Promise<CorpusCase[]> {
  const tokens: Record<string, Record<string, string>> = {};
  for (const [owner, who] of Object.entries(ROLE_FOR)) tokens[owner] = { authorization: `Bearer ${await options.sign({ ...who, user: 'corpus' })}` };
  const auth = (owner: string) => tokens[owner] ?? tokens.governance;
  const cases: CorpusCase[] = [];
  for (const t of options.targets) {
    const own = t.name === 'gateway' ? auth('casework') : auth(t.name);
    // A root field that needs no argument, to alias many times.
    const plain = Object.values(schemaOf(t.name).getQueryType()!.getFields()).find((f) => !f.name.startsWith('_') && f.args.every((a) => !isNonNullType(a.type) || a.defaultValue !== undefined))!;
    const aliasable = `${plain.name}${isCompositeType(getNamedType(plain.type)) ? ' { __typename }' : ''}`;
    cases.push(...protocolCases(t.name, own, { bodyLimitBytes: options.bodyLimitBytes ?? 1_000_000, aliasable }));
    cases.push(...(await authCases(t.name, options.sign)));
    cases.push(...rawCases(t.name, own));
    cases.push(...argumentCases(t.name, auth, { maxStringLength: options.maxStringLength ?? 50_000, fast: !!options.fast }));
    if (t.name !== 'gateway') cases.push(...entityCases(t.name, own, options.maxRepresentations ?? 500));
  }
  return cases;
}

async function sendRaw(url: string, raw: string, timeoutMs: number): Promise<Answer> {
  const { hostname, port } = new URL(url);
  const t0 = performance.now();
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname);
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (hung: boolean) => {
      if (done) return;
      done = true;
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      const [head, ...rest] = text.split('\r\n\r\n');
      const headers = Object.fromEntries(head.split('\r\n').slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: m ? Number(m[1]) : 0, text: rest.join('\r\n\r\n'), headers, ms: performance.now() - t0, hung });
    };
    const timer = setTimeout(() => finish(chunks.length === 0), timeoutMs);
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      // One answer is enough: a server may keep the connection open after it.
      const text = Buffer.concat(chunks).toString('latin1');
      const length = /content-length: (\d+)/i.exec(text);
      const split = text.indexOf('\r\n\r\n');
      if (split >= 0 && (!length || Buffer.byteLength(text, 'latin1') - split - 4 >= Number(length[1]))) {
        clearTimeout(timer);
        finish(false);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      finish(false);
    });
    socket.write(Buffer.from(raw, 'latin1'));
  });
}

export async function send(c: CorpusCase, targets: Target[], timeoutMs = 15_000): Promise<Answer> {
  const target = targets.find((t) => t.name === c.target)!;
  if (c.raw !== undefined) return sendRaw(target.url, c.raw, timeoutMs);
  const url = c.path === undefined ? target.url : c.path.startsWith('?') || c.path === '' ? `${target.url}${c.path}` : new URL(c.path, target.url).toString();
  const t0 = performance.now();
  try {
    const res = await fetch(url, { method: c.method, headers: c.headers, body: c.body, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    return { status: res.status, text, headers: Object.fromEntries(res.headers), ms: performance.now() - t0, hung: false };
  } catch (err) {
    const hung = (err as Error).name === 'TimeoutError';
    return { status: 0, text: String((err as Error).message), headers: {}, ms: performance.now() - t0, hung };
  }
}

interface ErrorShape {
  message?: unknown;
  extensions?: { code?: unknown; field?: unknown; problems?: Array<{ field?: unknown }> };
}

function errorsOf(text: string): ErrorShape[] | null {
  try {
    const body = JSON.parse(text) as { errors?: ErrorShape[] };
    return Array.isArray(body?.errors) ? body.errors : [];
  } catch {
    return null;
  }
}

/** The outcome's name for counting: HTTP status and the codes answered. */
export function outcomeOf(answer: Answer): string {
  if (answer.hung) return 'hung';
  if (answer.status === 0) return 'no answer';
  const errors = errorsOf(answer.text);
  if (errors === null) return `${answer.status} (not JSON)`;
  const codes = [...new Set(errors.map((e) => String(e.extensions?.code ?? 'no code')))].sort();
  return `${answer.status} ${codes.length ? codes.join('+') : 'data'}`;
}

const LEAKS: Array<[string, RegExp]> = [
  ['an address', /https?:\/\/|(?:localhost|127\.0\.0\.1|\[::1\]):\d+/],
  ['a stack trace', /stacktrace|\n\s+at [\w.<]|\bat .+\.(?:js|ts):\d+/],
  ['SQL', /\b(?:select\s+[\w"*,. ]+\s+from|insert\s+into|delete\s+from|update\s+"?\w+"?\s+set)\b|SQLSTATE|violates .* constraint|syntax error at or near|invalid input syntax for|relation "/i],
  ['an NHS number', /\b\d{3} ?\d{3} ?\d{4}\b/],
  ['a UPN', /\b[A-Z]\d{12}\b/],
  ['a postcode', /\b(?:NG|DE|LE|S|DN|LN)\d{1,2} ?\d[A-Z]{2}\b/],
];

/** What is wrong with an answer to a case; empty when it is as it should be. */
export function judge(c: CorpusCase, answer: Answer, targets: Target[]): string[] {
  const wrong: string[] = [];
  if (answer.hung) return ['no answer within the time limit'];
  if (answer.status === 0) return [`no HTTP answer (${answer.text.slice(0, 80)})`];
  if (answer.status >= 500) wrong.push(`HTTP ${answer.status}`);
  const errors = errorsOf(answer.text) ?? [];
  const codes = errors.map((e) => String(e.extensions?.code ?? ''));
  if (codes.includes('INTERNAL_SERVER_ERROR')) wrong.push('INTERNAL_SERVER_ERROR');
  // Only what the server wrote about the request: errors (and any non-JSON body), not data;
  // a request limit's figures (a cost of ten digits) are no one's NHS number.
  const said = errorsOf(answer.text) === null ? answer.text : JSON.stringify(errors.filter((e) => !(e.extensions as { limit?: unknown } | undefined)?.limit));
  for (const [what, pattern] of LEAKS) {
    const found = pattern.exec(said)?.[0];
    // The caller's own value quoted back (a number it sent) is no leak.
    if (found && !(c.body ?? c.raw ?? '').includes(found.replace(/^\w+:\/\//, ''))) wrong.push(`${what} in the answer: ${found.slice(0, 60)}`);
  }
  for (const t of targets) {
    const port = new URL(t.url).port;
    if (t.name !== c.target && said.includes(`:${port}`)) wrong.push(`the port of ${t.name} in the answer`);
  }
  if (c.checkRequestId && answer.headers['x-request-id'] !== undefined && !/^[A-Za-z0-9._:-]{1,100}$/.test(answer.headers['x-request-id'])) wrong.push('the caller\'s malformed x-request-id echoed');
  if (c.expect === 'refuse') {
    if (answer.status < 400 || answer.status >= 500) {
      if (!(answer.status === 200 && errors.length && codes.every((code) => OK_REFUSAL_CODES.has(code)))) wrong.push(`not refused: HTTP ${answer.status} ${codes.join('+') || 'with data'}`);
      else if (codes.some((code) => code !== 'PERSISTED_QUERY_NOT_FOUND' && code !== 'PERSISTED_QUERY_NOT_SUPPORTED')) wrong.push(`refused with HTTP ${answer.status}, not 400`);
    } else if (errors.length && codes.some((code) => !OK_REFUSAL_CODES.has(code))) {
      wrong.push(`refused as ${codes.join('+')}`);
    }
    if (c.names && errors.length && answer.status === 400) {
      // Some error names the argument (or the variable); a refusal by a request limit names the limit instead.
      const named = errors.some((e) => {
        if ((e.extensions as { limit?: unknown } | undefined)?.limit) return true;
        const text = `${String(e.message)} ${String(e.extensions?.field ?? '')} ${(e.extensions?.problems ?? []).map((p) => String(p.field)).join(' ')}`;
        return c.names!.some((n) => new RegExp(`(^|[^\\w.])${n.replace(/[.$]/g, '\\$&')}\\b`).test(text));
      });
      if (!named) wrong.push(`the refusal does not name ${c.names[0]}: ${String(errors[0].message).slice(0, 120)}`);
    }
  }
  return wrong;
}

export interface CorpusRun {
  outcomes: Map<string, number>;
  failures: Array<{ case: CorpusCase; outcome: string; wrong: string[]; excerpt: string }>;
  sent: number;
  maxMs: number;
}

/** Sends every case (a few at a time) and judges each answer. */
export async function runCorpus(cases: CorpusCase[], targets: Target[], options: { concurrency?: number; timeoutMs?: number } = {}): Promise<CorpusRun> {
  const run: CorpusRun = { outcomes: new Map(), failures: [], sent: 0, maxMs: 0 };
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const c = cases[next++];
      const answer = await send(c, targets, options.timeoutMs);
      run.sent++;
      run.maxMs = Math.max(run.maxMs, answer.ms);
      const outcome = outcomeOf(answer);
      run.outcomes.set(outcome, (run.outcomes.get(outcome) ?? 0) + 1);
      const wrong = judge(c, answer, targets);
      if (wrong.length) run.failures.push({ case: c, outcome, wrong, excerpt: answer.text.slice(0, 300) });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  return run;
}

/** Whether every target still answers /health/live. */
export async function allLive(targets: Target[]): Promise<Record<string, boolean>> {
  const out: Record<string, boolean> = {};
  for (const t of targets) {
    out[t.name] = await fetch(new URL('/health/live', t.url), { signal: AbortSignal.timeout(5_000) }).then((r) => r.ok, () => false);
  }
  return out;
}
