import { createRequire } from 'node:module';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';

/**
 * @apollo/gateway rebuilds its own form of the operation from the request's
 * document on every request (executeQueryPlan: operationFromDocument, unvalidated),
 * to shape the answer, although the query plan itself is cached: about 0.1-0.2 ms
 * of gateway CPU for a ten-measure analyst query. Apollo Server hands every request
 * with the same text the same cached document, so the built operation is kept per
 * operation definition (weakly, for as long as Apollo keeps the document) and per
 * schema. Only the unvalidated calls are shared: those are execution's; planning
 * validates and runs on a plan-cache miss only. Operations are read, never
 * changed, by execution and answer shaping.
 *
 * This replaces operationFromDocument in the copy of @apollo/federation-internals
 * that @apollo/gateway loads (its index re-exports through getters, so the gateway
 * sees the replacement); `sharedOperations().installed` says whether it took.
 */

type OperationFromDocument = (schema: object, document: DocumentNode, options?: { operationName?: string; validate?: boolean }) => unknown;

let state: { installed: boolean; built: number; reused: number } | undefined;

export function shareOperationsAcrossRequests(): { installed: boolean; built: number; reused: number } {
  if (state) return state;
  const counts = { installed: false, built: 0, reused: 0 };
  state = counts;
  // The copy the gateway itself resolves, not whichever one this package would.
  const fromGateway = createRequire(require.resolve('@apollo/gateway'));
  const operations = fromGateway('@apollo/federation-internals/dist/operations') as { operationFromDocument: OperationFromDocument };
  const original = operations.operationFromDocument;
  if (typeof original !== 'function') return counts;
  const bySchema = new WeakMap<object, WeakMap<OperationDefinitionNode, unknown>>();
  operations.operationFromDocument = function sharedOperationFromDocument(schema, document, options) {
    const definition = document.definitions[0];
    // Execution's call: unvalidated, no name to choose by, the operation first and its fragments after.
    if (options?.validate !== false || options.operationName !== undefined || definition?.kind !== 'OperationDefinition') return original(schema, document, options);
    let byDefinition = bySchema.get(schema);
    if (!byDefinition) bySchema.set(schema, (byDefinition = new WeakMap()));
    const known = byDefinition.get(definition);
    if (known) {
      counts.reused++;
      return known;
    }
    const built = original(schema, document, options);
    counts.built++;
    byDefinition.set(definition, built);
    return built;
  };
  counts.installed = (fromGateway('@apollo/federation-internals') as { operationFromDocument: unknown }).operationFromDocument === operations.operationFromDocument;
  return counts;
}
