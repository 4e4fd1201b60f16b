import type { EntityManager } from '@mikro-orm/postgresql';
import type { SubgraphDefinition } from '../toolkit/subgraph';
import { CaseworkMeasureRef, entities, HealthMeasureRef } from './entities';
import { ActionAssessment, AssuranceDashboard, KpiReading, PartnerBriefing } from './entities/live';
import { migrations } from './migrations';
import { ActionAssessmentResolver, AssuranceDashboardResolver, KpiReadingResolver, PartnerBriefingResolver } from './resolvers/live.resolver';
import { ActionMilestonesResolver, MilestoneResolver } from './resolvers/milestone.resolver';
import { KpiComparisonResolver, KpiReadingReconciliationResolver, PublishedIndicatorQueries } from './resolvers/comparison.resolver';
import { governanceMutations } from './resolvers/mutations';
import { EscalationResolver, GovernanceBodyResolver, GovernanceQueries, KpiResolver, MeetingResolver, PriorityActionResolver, ReviewResolver } from './resolvers/queries.resolver';
import { seedPublished } from './seed/published';
import { seedGovernance } from './seed/synthetic';

/**
 * The representation the gateway sends back to governance for a live type carries
 * the figures casework and health contributed; governance keeps them as they are.
 */
const asRepresented = (reference: Record<string, unknown>) => reference;

/** The partnership's own governance data: its own database, its own login. */
export const governance: SubgraphDefinition = {
  name: 'governance',
  entities,
  migrations,
  resolvers: [
    GovernanceQueries, ...governanceMutations, GovernanceBodyResolver, MeetingResolver, PriorityActionResolver, KpiResolver, EscalationResolver, ReviewResolver,
    KpiReadingResolver, ActionAssessmentResolver, AssuranceDashboardResolver, PartnerBriefingResolver, MilestoneResolver, ActionMilestonesResolver,
    KpiComparisonResolver, KpiReadingReconciliationResolver, PublishedIndicatorQueries,
  ],
  orphanedTypes: [CaseworkMeasureRef, HealthMeasureRef, KpiReading, ActionAssessment, AssuranceDashboard, PartnerBriefing],
  referenceResolvers: {
    KpiReading: asRepresented,
    ActionAssessment: asRepresented,
    AssuranceDashboard: asRepresented,
    PartnerBriefing: asRepresented,
  },
  personLevelTypes: [],
  appendOnlyTables: ['audit_event'],
  seed: async (em, options) => {
    await seedGovernance(em, options);
    await seedPublished(em, options);
  },
  isEmpty: async (em: EntityManager) => (await em.getConnection().execute('SELECT NOT EXISTS (SELECT 1 FROM governance_body) AS empty'))[0].empty,
};
