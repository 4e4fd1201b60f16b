import { createRequire } from 'node:module';
import { shareOperationsAcrossRequests } from './shared-operations';

/**
 * @apollo/federation-internals' index re-exports its ~700 names through getters
 * (TypeScript's __exportStar), so every `federation_internals_1.isNonNullType`,
 * `.assert` or `.typenameFieldName` in @apollo/gateway's result shaping is a
 * getter call on an object too large for V8's fast property lookup: about 3.5 %
 * of the gateway's CPU on a 50-child caseworker page (node --cpu-prof), once per
 * value shaped. Before @apollo/gateway loads, the index the gateway resolves is
 * replaced in Node's module cache by a plain copy of its values. Nothing in the
 * package reassigns an export after loading (only enums are initialised, at
 * load); the one export this project replaces (operationFromDocument,
 * shared-operations.ts) is replaced first, so the copy holds the replacement.
 *
 * Must be imported before anything that imports @apollo/gateway. Under jest,
 * which keeps its own module registry, it changes nothing.
 */
function copyFederationInternals(): boolean {
  shareOperationsAcrossRequests();
  const fromGateway = createRequire(require.resolve('@apollo/gateway'));
  const path = fromGateway.resolve('@apollo/federation-internals');
  const cached = fromGateway.cache[path];
  if (!cached) return false;
  const live = cached.exports as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const name of Object.getOwnPropertyNames(live)) {
    if (name !== '__esModule') copy[name] = live[name];
  }
  Object.defineProperty(copy, '__esModule', { value: true });
  cached.exports = copy;
  return true;
}

export const federationInternalsCopied = copyFederationInternals();
