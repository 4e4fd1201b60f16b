import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_DOCS_DIR, expectedSchemaFiles, SCHEMA_DIR } from './schemas';

/**
 * `npm run compose`: writes each subgraph's SDL, the composed supergraph, the
 * client-facing schema and the partner contract into schema/, and the schema
 * reference into docs/api/.
 */
async function main(): Promise<void> {
  const { files, docs, hints } = await expectedSchemaFiles();
  for (const [file, content] of Object.entries(files)) {
    writeFileSync(join(SCHEMA_DIR, file), content);
    console.log(`wrote schema/${file}`);
  }
  mkdirSync(API_DOCS_DIR, { recursive: true });
  for (const [file, content] of Object.entries(docs)) writeFileSync(join(API_DOCS_DIR, file), content);
  console.log(`wrote docs/api/ (${Object.keys(docs).length} pages)`);
  if (hints.length) {
    console.log(`\nComposition hints (${hints.length}):`);
    for (const h of hints) console.log(`- ${h}`);
  } else {
    console.log('\nComposition hints: none.');
  }
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
