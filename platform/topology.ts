/**
 * The federation's parts as every process knows them: the three data
 * controllers' subgraphs, the organisation that runs each, and where each
 * listens by default. The subgraphs' own definitions are theirs
 * (subgraphs/<name>/index.ts); nothing here imports them.
 */
export const SUBGRAPH_NAMES = ['casework', 'health', 'governance'] as const;

export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/** Port defaults and the variables that override them. */
export const SUBGRAPH_PORTS: Record<SubgraphName, { envVar: string; port: number }> = {
  casework: { envVar: 'CASEWORK_PORT', port: 4001 },
  health: { envVar: 'HEALTH_PORT', port: 4002 },
  governance: { envVar: 'GOVERNANCE_PORT', port: 4003 },
};

/** The data controller that runs each subgraph. */
export const SUBGRAPH_ORGANISATION: Record<SubgraphName, string> = {
  casework: 'council',
  health: 'ICB',
  governance: 'partnership',
};

/** Subgraphs that derive link keys from NHS numbers and so hold the partnership secret. */
export const HOLDS_LINK_KEY_SECRET: readonly SubgraphName[] = ['casework', 'health'];
