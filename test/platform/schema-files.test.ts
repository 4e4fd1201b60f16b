import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, getNamedType, isObjectType, parse } from 'graphql';
import { expectedSchemaFiles } from '../../infra/schemas';
import { PARTNER_CONTRACT, PERSON_LEVEL_TYPES } from '../../infra/partner-contract';

const SCHEMA = join(__dirname, '..', '..', 'schema');

describe('checked-in schema files', () => {
  it('match what the code produces (run `npm run compose` after a schema change)', async () => {
    const { files, hints } = await expectedSchemaFiles();
    if (hints.length) console.log(`Composition hints:\n${hints.map((h) => `- ${h}`).join('\n')}`);
    expect(Object.keys(files).sort()).toEqual([
      'api.graphql',
      'casework.graphql',
      'governance.graphql',
      'health.graphql',
      'partner-supergraph.graphql',
      'partner.graphql',
      'supergraph.graphql',
    ]);
    for (const [file, content] of Object.entries(files)) {
      const checkedIn = readFileSync(join(SCHEMA, file), 'utf8');
      expect({ file, content: checkedIn }).toEqual({ file, content });
    }
  });

  it('include the schema reference in docs/api/, written from the descriptions', async () => {
    const { docs } = await expectedSchemaFiles();
    expect(Object.keys(docs).sort()).toEqual(['README.md', 'enums.md', 'inputs.md', 'mutations.md', 'objects.md', 'queries.md', 'scalars.md']);
    for (const [file, content] of Object.entries(docs)) {
      const checkedIn = readFileSync(join(SCHEMA, '..', 'docs', 'api', file), 'utf8');
      expect({ file, content: checkedIn }).toEqual({ file, content });
    }
    // Each definition of the API has its section, with its description.
    const api = buildSchema(readFileSync(join(SCHEMA, 'api.graphql'), 'utf8'));
    const kpi = api.getType('PriorityAction')!;
    expect(docs['objects.md']).toContain(`## PriorityAction\n\n${kpi.description}`);
    for (const query of Object.keys(api.getQueryType()!.getFields())) expect(docs['queries.md']).toContain(`## ${query}\n`);
  });

  it('give clients schemas without federation machinery', () => {
    for (const file of ['api.graphql', 'partner.graphql']) {
      const sdl = readFileSync(join(SCHEMA, file), 'utf8');
      expect({ file, federation: sdl.match(/@(join__|link|inaccessible|tag|key|external|requires|shareable)\b|\b(join__|link__)\w+/g) }).toEqual({ file, federation: null });
      expect(() => buildSchema(sdl)).not.toThrow();
    }
  });

  it('keep person-level types and people\'s names out of the partner contract', () => {
    const partner = buildSchema(readFileSync(join(SCHEMA, 'partner.graphql'), 'utf8'));
    const api = buildSchema(readFileSync(join(SCHEMA, 'api.graphql'), 'utf8'));
    const typeNames = Object.keys(partner.getTypeMap());
    for (const name of PERSON_LEVEL_TYPES) {
      // The guard is only worth something if the API schema has the type.
      expect({ name, inApi: !!api.getType(name) }).toEqual({ name, inApi: true });
      expect(typeNames.filter((t) => t === name || t.startsWith(`${name}Connection`) || t.startsWith(`${name}Edge`))).toEqual([]);
    }
    for (const coordinate of PARTNER_CONTRACT.withheldFields) {
      const [type, field] = coordinate.split('.');
      const t = partner.getType(type);
      expect({ coordinate, present: !!t && isObjectType(t) && !!t.getFields()[field] }).toEqual({ coordinate, present: false });
    }
    // Every object type the contract can return was declared for it (it fails closed).
    const undeclared = typeNames.filter((t) => {
      const type = partner.getType(t)!;
      return isObjectType(type) && t !== 'Query' && !t.startsWith('__') && !PARTNER_CONTRACT.types.includes(t) && !/(Connection|Edge)$/.test(t);
    });
    expect(undeclared).toEqual([]);
    expect(partner.getMutationType()).toBeUndefined();
    expect(Object.keys(partner.getQueryType()!.getFields()).sort()).toEqual([...PARTNER_CONTRACT.queries].sort());
    // No field of the partner schema leads to a type the API schema's person-level list names.
    for (const type of Object.values(partner.getTypeMap())) {
      if (!isObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        expect((PERSON_LEVEL_TYPES as readonly string[]).includes(getNamedType(field.type).name)).toBe(false);
      }
    }
    expect(() => parse(readFileSync(join(SCHEMA, 'partner-supergraph.graphql'), 'utf8'))).not.toThrow();
  });
});
