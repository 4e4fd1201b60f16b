import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSchema, getOperationAST, parse, validate, type GraphQLSchema } from 'graphql';
import { defineCommand, readCommandLine } from '../platform/command-line';
import { documentHash, type TrustedDocument, type TrustedDocumentsFile } from '../gateway/trusted-documents';

export const DOCUMENTS_REGISTER_COMMAND = defineCommand({
  command: 'npm run documents:register --',
  summary:
    'Registers a partner app\'s operations as trusted documents (by the SHA-256 of each document\'s text) in schema/trusted-documents.json, which the gateway reads: in production, partner apps may run only these. Each operation is checked against the API schema first; nothing is registered unless all of them pass.',
  file: { name: '<manifest.json>', description: 'the app\'s operations: an Apollo persisted-query manifest ({"format":"apollo-persisted-query-manifest","operations":[{"id","name","body"}]}) or GraphQL Codegen\'s persisted documents ({"<hash>":"<document>"})', missing: 'Name the manifest to register.' },
  options: {
    client: { type: 'string', value: '<app>', description: 'the partner app the operations belong to, as it will be named in logs', required: true },
    store: { type: 'string', value: '<file.json>', description: 'where registered documents are kept (schema/trusted-documents.json when left out)' },
  },
  notes: ['Exit codes: 0 registered (or all already were); 1 a document is refused (nothing is registered); 2 usage.'],
});

export interface ManifestOperation {
  /** The hash the manifest gives, if any: it must be the document's. */
  id?: string;
  name?: string;
  body: string;
}

/** The operations of a manifest in either format, or a message saying what is wrong with it. */
export function readManifest(json: unknown): ManifestOperation[] {
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    const o = json as Record<string, unknown>;
    if (o.format === 'apollo-persisted-query-manifest') {
      if (!Array.isArray(o.operations)) throw new Error('The manifest\'s "operations" must be a list.');
      return o.operations.map((op: unknown, i) => {
        const { id, name, body } = (op ?? {}) as Record<string, unknown>;
        if (typeof body !== 'string') throw new Error(`Operation ${i + 1} of the manifest has no "body".`);
        return { id: typeof id === 'string' ? id : undefined, name: typeof name === 'string' ? name : undefined, body };
      });
    }
    if (Object.values(o).every((v) => typeof v === 'string')) return Object.entries(o).map(([id, body]) => ({ id, body: body as string }));
  }
  throw new Error('The manifest is neither an Apollo persisted-query manifest nor a map of hashes to documents.');
}

export interface RegisterResult {
  added: string[];
  alreadyRegistered: string[];
}

/**
 * Checks every operation (its hash, one operation per document, valid against
 * the schema) and, when all pass, adds them to the store. All or nothing, and
 * registering the same manifest again changes nothing.
 */
export function registerDocuments(operations: ManifestOperation[], client: string, storePath: string, schema: GraphQLSchema): RegisterResult {
  const problems: string[] = [];
  const checked: Array<[string, TrustedDocument]> = [];
  operations.forEach((op, i) => {
    const label = op.name ? `Operation ${op.name}` : `Operation ${i + 1}`;
    const hash = documentHash(op.body);
    if (op.id !== undefined && op.id.replace(/^sha256:/, '') !== hash) return void problems.push(`${label}: its id is not the SHA-256 of its body (${hash}).`);
    let document;
    try {
      document = parse(op.body);
    } catch (err) {
      return void problems.push(`${label}: not GraphQL: ${(err as Error).message}`);
    }
    const operation = getOperationAST(document);
    if (!operation) return void problems.push(`${label}: a document must hold exactly one operation.`);
    const errors = validate(schema, document);
    if (errors.length) return void problems.push(`${label}: ${errors.map((e) => e.message).join(' ')}`);
    checked.push([hash, { client, name: operation.name?.value ?? op.name ?? null, body: op.body }]);
  });
  if (problems.length) throw new Error(`Nothing registered:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  const store: TrustedDocumentsFile = existsSync(storePath) ? (JSON.parse(readFileSync(storePath, 'utf8')) as TrustedDocumentsFile) : { documents: {} };
  const result: RegisterResult = { added: [], alreadyRegistered: [] };
  for (const [hash, doc] of checked) {
    if (store.documents[hash]) result.alreadyRegistered.push(hash);
    else {
      store.documents[hash] = doc;
      result.added.push(hash);
    }
  }
  // Sorted by hash, so that a registration reads as a small diff.
  const documents = Object.fromEntries(Object.entries(store.documents).sort(([a], [b]) => a.localeCompare(b)));
  if (result.added.length) writeFileSync(storePath, JSON.stringify({ documents }, null, 2) + '\n');
  return result;
}

async function main(): Promise<void> {
  const args = readCommandLine(DOCUMENTS_REGISTER_COMMAND, process.argv.slice(2), { out: (t) => console.log(t), err: (t) => console.error(t) });
  if (typeof args === 'number') process.exit(args);
  const schemaDir = join(__dirname, '..', '..', 'schema');
  const schema = buildSchema(readFileSync(join(schemaDir, 'api.graphql'), 'utf8'));
  try {
    const operations = readManifest(JSON.parse(readFileSync(resolve(args.file), 'utf8')));
    const store = resolve(args.options.store ?? join(schemaDir, 'trusted-documents.json'));
    const { added, alreadyRegistered } = registerDocuments(operations, args.options.client, store, schema);
    console.log(`Registered ${added.length} operation(s) for ${args.options.client} in ${store}; ${alreadyRegistered.length} already were.`);
    for (const hash of added) console.log(`+ ${hash}`);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}

if (require.main === module) void main();
