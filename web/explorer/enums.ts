import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, type EnumTypeDefinitionNode } from 'graphql';
import type { Choice } from './request';

/**
 * The values of a closed set the API owns (an enum: primary needs, pathways),
 * with the API's own description of each as the words a person chooses from.
 * Read from the published API schema (schema/api.graphql, what the gateway
 * serves), because production turns introspection off: the lists still come from
 * the API's contract, never typed into the app.
 */
function apiSchemaText(): string {
  const candidates = [join(__dirname, '..', '..', 'schema', 'api.graphql'), join(__dirname, '..', '..', '..', 'schema', 'api.graphql')];
  const found = candidates.find((f) => existsSync(f));
  if (!found) throw new Error(`The API schema is missing (looked in ${candidates.join(', ')}).`);
  return readFileSync(found, 'utf8');
}

let enums: Map<string, Choice[]> | null = null;

export function enumChoices(name: string): Choice[] {
  if (!enums) {
    enums = new Map();
    for (const def of parse(apiSchemaText()).definitions) {
      if (def.kind !== Kind.ENUM_TYPE_DEFINITION) continue;
      const e = def as EnumTypeDefinitionNode;
      enums.set(e.name.value, (e.values ?? []).map((v) => ({ value: v.name.value, text: (v.description?.value ?? v.name.value).replace(/\.$/, '').replace(/\s*\(.*\)$/, '') })));
    }
  }
  const found = enums.get(name);
  if (!found) throw new Error(`The API schema has no enum ${name}.`);
  return found;
}
