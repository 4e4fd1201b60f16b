import { casework } from '../subgraphs/casework';
import { governance } from '../subgraphs/governance';
import { health } from '../subgraphs/health';
import type { SubgraphDefinition } from '../subgraphs/toolkit/subgraph';
import { SUBGRAPH_NAMES } from '../platform/topology';

/** The three data controllers' subgraphs, in start order. */
export const SUBGRAPHS: readonly SubgraphDefinition[] = [casework, health, governance];

export function subgraphByName(name: string): SubgraphDefinition {
  const found = SUBGRAPHS.find((s) => s.name === name);
  if (!found) throw new Error(`Unknown subgraph "${name}"; expected one of ${SUBGRAPH_NAMES.join(', ')}.`);
  return found;
}
