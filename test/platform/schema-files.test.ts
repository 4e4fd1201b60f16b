import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectedSchemaFiles } from '../../infra/schemas';

describe('checked-in schema files', () => {
  it('match what the code produces (run `npm run compose` after a schema change)', async () => {
    const { files, hints } = await expectedSchemaFiles();
    if (hints.length) console.log(`Composition hints:\n${hints.map((h) => `- ${h}`).join('\n')}`);
    expect(Object.keys(files).sort()).toEqual(['casework.graphql', 'governance.graphql', 'health.graphql', 'supergraph.graphql']);
    for (const [file, content] of Object.entries(files)) {
      const checkedIn = readFileSync(join(__dirname, '..', '..', 'schema', file), 'utf8');
      expect({ file, content: checkedIn }).toEqual({ file, content });
    }
  });
});
