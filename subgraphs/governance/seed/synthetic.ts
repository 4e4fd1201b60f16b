import type { EntityManager } from '@mikro-orm/postgresql';
import type { SeedOptions } from '../../toolkit/subgraph';
import { Kpi, PriorityAction } from '../entities';

export async function seedGovernance(em: EntityManager, options: SeedOptions): Promise<void> {
  await em.transactional(async (tx) => {
    const kpi = tx.create(Kpi, { name: 'Active EHC plans', measureCode: 'PLANS_ACTIVE', ownerOrganisation: 'LA' });
    tx.create(PriorityAction, {
      reference: 'PAP-1.1',
      title: 'Issue EHC plans within 20 weeks: more than the national average by the end of 2026.',
      ownerOrganisation: 'LA',
      kpi,
    });
  });
  options.log('governance: Priority Action Plan seeded');
}
