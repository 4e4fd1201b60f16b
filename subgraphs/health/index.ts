import type { EntityManager } from '@mikro-orm/postgresql';
import type { SubgraphDefinition } from '../toolkit/subgraph';
import { Child, entities } from './entities';
import { migrations } from './migrations';
import { HealthChildResolver, resolveChildReference } from './resolvers/child.resolver';
import { seedHealth } from './seed/synthetic';

/** The ICB's children's health services: its own database, its own login. */
export const health: SubgraphDefinition = {
  name: 'health',
  entities,
  migrations,
  resolvers: [HealthChildResolver],
  orphanedTypes: [Child],
  referenceResolvers: { Child: resolveChildReference },
  personLevelTypes: ['Referral'],
  appendOnlyTables: ['audit_event'],
  seed: seedHealth,
  isEmpty: async (em: EntityManager) => (await em.getConnection().execute('SELECT NOT EXISTS (SELECT 1 FROM referral) AS empty'))[0].empty,
};
