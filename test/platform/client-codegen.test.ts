import { execFileSync } from 'node:child_process';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isListType,
  isNonNullType,
  isScalarType,
  parse,
  print,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
/** The generated file, as the checks import it (written into a temporary folder). */
const GENERATED_MODULE = './api';

/** How a client maps the API's custom scalars: the README's codegen example says the same. */
const SCALARS: Record<string, string> = { Date: 'string', DateTime: 'string' };
const BUILT_IN: Record<string, string> = { Int: 'number', Float: 'number', String: 'string', ID: 'string', Boolean: 'boolean' };

/**
 * GraphQL Codegen (core and the typescript-operations plugin), as a client
 * project runs it; in a child process, since the plugin loads an ES module jest
 * cannot require.
 */
function generateClientTypes(schemaSdl: string, documents: DocumentNode[], config: Record<string, unknown>): string {
  const script = `
    const { codegen } = require('@graphql-codegen/core');
    const typescriptOperations = require('@graphql-codegen/typescript-operations');
    const { parse } = require('graphql');
    const input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
    codegen({
      filename: 'api.ts',
      schema: parse(input.schema),
      documents: input.documents.map((d) => ({ document: parse(d), location: 'README.md' })),
      config: input.config,
      plugins: [{ typescriptOperations: {} }],
      pluginMap: { typescriptOperations },
    }).then((out) => process.stdout.write(out), (err) => { console.error(err.message); process.exit(1); });`;
  return execFileSync(process.execPath, ['-e', script], { cwd: ROOT, input: JSON.stringify({ schema: schemaSdl, documents: documents.map((d) => print(d)), config }), encoding: 'utf8' });
}

/** Every ```graphql block of the README: the operations it shows clients. */
function readmeOperations(): DocumentNode[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => parse(m[1]));
}

interface Leaf {
  operation: string;
  /** Response keys from the root, each marked when it is a list. */
  path: Array<{ key: string; list: boolean }>;
  expected: string;
  /** The GraphQL type's name. */
  graphqlType: string;
}

/** Each leaf of each operation, with the TypeScript type its GraphQL type maps to. */
function leaves(schema: GraphQLSchema, document: DocumentNode): Leaf[] {
  const found: Leaf[] = [];
  const typeInfo = new TypeInfo(schema);
  const stack: Array<{ key: string; list: boolean }> = [];
  let operation = '';
  const isList = (type: GraphQLOutputType): boolean => isListType(isNonNullType(type) ? type.ofType : type);
  visit(document, visitWithTypeInfo(typeInfo, {
    OperationDefinition: { enter: (node) => void (operation = node.name!.value) },
    FragmentSpread: () => {
      throw new Error('The README\'s operations use inline fragments only (this check follows those).');
    },
    Field: {
      enter(node) {
        const type = typeInfo.getType()!;
        stack.push({ key: node.alias?.value ?? node.name.value, list: isList(type) });
        const named = getNamedType(type);
        if (node.name.value === '__typename') return;
        if (isScalarType(named)) found.push({ operation, path: [...stack], graphqlType: named.name, expected: BUILT_IN[named.name] ?? SCALARS[named.name] ?? `unmapped scalar ${named.name}` });
        else if (isEnumType(named)) found.push({ operation, path: [...stack], graphqlType: named.name, expected: named.getValues().map((v) => `'${v.value}'`).join(' | ') });
      },
      leave: () => void stack.pop(),
    },
  }));
  return found;
}

/** A TypeScript type expression for a leaf of an operation's result, nulls taken off at each step. */
function leafType(leaf: Leaf): string {
  let expr = `${leaf.operation}Query`;
  for (const step of leaf.path) {
    expr = `NonNullable<${expr}['${step.key}']>`;
    if (step.list) expr = `NonNullable<${expr}[number]>`;
  }
  return expr;
}

describe('clients generated from schema/api.graphql', () => {
  const schema = buildSchema(readFileSync(join(ROOT, 'schema', 'api.graphql'), 'utf8'));
  const documents = readmeOperations();
  let dir: string;
  beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'codegen-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the README shows named operations the schema accepts', () => {
    expect(documents.length).toBeGreaterThan(0);
    for (const document of documents) {
      expect(validate(schema, document).map((e) => e.message)).toEqual([]);
      for (const d of document.definitions) expect(d.kind === 'OperationDefinition' && !!d.name).toBe(true);
    }
  });

  it('are typed leaf by leaf, with custom scalars mapped and no `any`, and compile with tsc', async () => {
    for (const name of Object.keys(schema.getTypeMap())) {
      const type = schema.getType(name)!;
      if (isScalarType(type) && !BUILT_IN[name]) expect({ scalar: name, mapped: name in SCALARS }).toEqual({ scalar: name, mapped: true });
    }
    // strictScalars: a custom scalar without a mapping is an error, not `any`.
    const generated = generateClientTypes(readFileSync(join(ROOT, 'schema', 'api.graphql'), 'utf8'), documents, { scalars: SCALARS, strictScalars: true });
    expect(generated.match(/\bany\b/g)).toBeNull();
    writeFileSync(join(dir, 'api.ts'), generated);

    // One assertion per leaf: its type is exactly what its GraphQL type maps to.
    const all = documents.flatMap((d) => leaves(schema, d));
    expect(all.length).toBeGreaterThan(10);
    expect(all.some((l) => l.graphqlType in SCALARS)).toBe(true);
    const operations = [...new Set(all.map((l) => `${l.operation}Query`))];
    const checks = [
      `import type { ${operations.join(', ')} } from '${GENERATED_MODULE}';`,
      'type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;',
      ...all.map((leaf, i) => `export const leaf${i}: Exactly<${leafType(leaf)}, ${leaf.expected}> = true; // ${leaf.operation}: ${leaf.path.map((p) => p.key).join('.')}`),
      // The check would catch a wrong mapping or an `any`: a date is a string, not a number.
      ...all.filter((l) => l.graphqlType in SCALARS).slice(0, 1).map((leaf) => `export const notANumber: Exactly<${leafType(leaf)}, number> = false;`),
    ];
    writeFileSync(join(dir, 'checks.ts'), checks.join('\n') + '\n');
    const program = ts.createProgram([join(dir, 'api.ts'), join(dir, 'checks.ts')], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: [],
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? `${d.file.fileName.replace(dir, '')}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1} ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(diagnostics).toEqual([]);
  });
});
