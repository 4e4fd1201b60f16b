import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectedSchemaFiles, SCHEMA_DIR } from './schemas';

/** `npm run compose`: writes each subgraph's SDL and the composed supergraph into schema/. */
async function main(): Promise<void> {
  const { files, hints } = await expectedSchemaFiles();
  for (const [file, content] of Object.entries(files)) {
    writeFileSync(join(SCHEMA_DIR, file), content);
    console.log(`wrote schema/${file}`);
  }
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
