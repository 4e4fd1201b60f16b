import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse, type DocumentNode } from 'graphql';
import { shareOperationsAcrossRequests } from '../../gateway/shared-operations';

/**
 * The gateway keeps @apollo/gateway's per-request rebuild of the operation
 * (execution's unvalidated operationFromDocument) per parsed document; planning's
 * validated calls, and other documents or schemas, still get their own.
 */

const fromGateway = createRequire(require.resolve('@apollo/gateway'));
const internals = fromGateway('@apollo/federation-internals') as {
  Supergraph: { build(sdl: string): { apiSchema(): object } };
  operationFromDocument(schema: object, document: DocumentNode, options?: { operationName?: string; validate?: boolean }): { toString(): string };
};

describe('operations shared across requests at the gateway', () => {
  const shared = shareOperationsAcrossRequests();
  const api = internals.Supergraph.build(readFileSync(join(__dirname, '..', '..', 'schema', 'supergraph.graphql'), 'utf8')).apiSchema();
  // As executeQueryPlan calls it: a fresh document object around the cached operation definition.
  const asExecution = (document: DocumentNode) => ({ kind: document.kind, definitions: [...document.definitions] }) as DocumentNode;

  it('is installed where @apollo/gateway looks it up', () => {
    expect(shared.installed).toBe(true);
  });

  it('builds an operation once per parsed document for execution, and it is the operation Apollo builds', () => {
    const document = parse('query Bodies($first: Int) { governanceBodies(first: $first) { nodes { code name } } }');
    const before = { ...shared };
    const first = internals.operationFromDocument(api, asExecution(document), { validate: false });
    const second = internals.operationFromDocument(api, asExecution(document), { validate: false });
    expect(second).toBe(first);
    expect(shared.built - before.built).toBe(1);
    expect(shared.reused - before.reused).toBe(1);
    expect(first.toString()).toBe(internals.operationFromDocument(api, document).toString());
  });

  it('does not share across documents, schemas or validated (planning) calls', () => {
    const text = 'query Bodies { governanceBodies { nodes { code } } }';
    const a = parse(text);
    const b = parse(text);
    const fromA = internals.operationFromDocument(api, asExecution(a), { validate: false });
    expect(internals.operationFromDocument(api, asExecution(b), { validate: false })).not.toBe(fromA);
    expect(internals.operationFromDocument(api, a)).not.toBe(internals.operationFromDocument(api, a));
    const otherSchema = internals.Supergraph.build(readFileSync(join(__dirname, '..', '..', 'schema', 'supergraph.graphql'), 'utf8')).apiSchema();
    expect(internals.operationFromDocument(otherSchema, asExecution(a), { validate: false })).not.toBe(fromA);
  });
});
