import { casework } from '../subgraphs/casework';
import { governance } from '../subgraphs/governance';
import { health } from '../subgraphs/health';
import type { SubgraphDefinition } from '../subgraphs/toolkit/subgraph';

/** The three data controllers' subgraphs, in start order. */
export const SUBGRAPHS: readonly SubgraphDefinition[] = [casework, health, governance];

export type SubgraphName = SubgraphDefinition['name'];

export const SUBGRAPH_NAMES: readonly SubgraphName[] = SUBGRAPHS.map((s) => s.name);

/** Port defaults and the variables that override them. */
export const SUBGRAPH_PORTS: Record<SubgraphName, { envVar: string; port: number }> = {
  casework: { envVar: 'CASEWORK_PORT', port: 4001 },
  health: { envVar: 'HEALTH_PORT', port: 4002 },
  governance: { envVar: 'GOVERNANCE_PORT', port: 4003 },
};

/** Subgraphs that derive link keys from NHS numbers and so hold the partnership secret. */
export const HOLDS_LINK_KEY_SECRET: readonly SubgraphName[] = ['casework', 'health'];

export function subgraphByName(name: string): SubgraphDefinition {
  const found = SUBGRAPHS.find((s) => s.name === name);
  if (!found) throw new Error(`Unknown subgraph "${name}"; expected one of ${SUBGRAPH_NAMES.join(', ')}.`);
  return found;
}
