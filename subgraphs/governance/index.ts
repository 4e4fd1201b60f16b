import type { EntityManager } from '@mikro-orm/postgresql';
import type { SubgraphDefinition } from '../toolkit/subgraph';
import { CaseworkMeasureRef, entities } from './entities';
import { migrations } from './migrations';
import { KpiResolver, PriorityActionResolver } from './resolvers/priority-action.resolver';
import { seedGovernance } from './seed/synthetic';

/** The partnership's own governance data: its own database, its own login. */
export const governance: SubgraphDefinition = {
  name: 'governance',
  entities,
  migrations,
  resolvers: [PriorityActionResolver, KpiResolver],
  orphanedTypes: [CaseworkMeasureRef],
  personLevelTypes: [],
  appendOnlyTables: ['audit_event'],
  seed: seedGovernance,
  isEmpty: async (em: EntityManager) => (await em.getConnection().execute('SELECT NOT EXISTS (SELECT 1 FROM priority_action) AS empty'))[0].empty,
};
