import pg from 'pg';
import type { TestStack } from '../support/stack';

/** Runs SQL on a subgraph's database as its runtime login: how these tests find record ids without depending on list queries' shapes. */
export async function sql<T = Record<string, unknown>>(stack: TestStack, subgraph: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: stack.databases.logins[subgraph].appUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Ids of some children in casework, in a fixed order. */
export async function childIds(stack: TestStack, n: number): Promise<string[]> {
  return (await sql<{ id: string }>(stack, 'casework', 'SELECT id FROM child ORDER BY id LIMIT $1', [n])).map((r) => r.id);
}

/** One query reading these children by id, each under an alias c0, c1, ... */
export function childrenById(ids: readonly string[], selection: string, operationName = ''): string {
  return `query ${operationName} { ${ids.map((id, i) => `c${i}: child(id: ${JSON.stringify(id)}) { ${selection} }`).join(' ')} }`;
}
