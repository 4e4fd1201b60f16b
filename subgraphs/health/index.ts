import type { EntityManager } from '@mikro-orm/postgresql';
import type { SubgraphDefinition } from '../toolkit/subgraph';
import { figureContributionsFor } from '../toolkit/measures/figures';
import { healthCatalogue } from './measures/catalogue';
import { Child, EhcNeedsAssessment, entities } from './entities';
import { migrations } from './migrations';
import { HealthAdviceResolver, HealthAssessmentResolver, resolveAssessmentReference } from './resolvers/assessment.resolver';
import { HealthChildResolver, resolveChildReference } from './resolvers/child.resolver';
import { healthMeasure, HealthMeasuresResolver } from './resolvers/measures.resolver';
import { ReferralResolver } from './resolvers/referral.resolver';
import { HealthServiceResolver } from './resolvers/service.resolver';
import { SpaceCohortResolver, SpaceEnrolmentResolver } from './resolvers/space.resolver';
import { WaitingListResolver } from './resolvers/waiting-list.resolver';
import { seedHealth } from './seed/synthetic';

/** Live figures for governance's KPI readings, action statuses and dashboard (governance never stores them). */
const figures = figureContributionsFor('health', healthCatalogue);

/** The ICB's children's health services: its own database, its own login. */
export const health: SubgraphDefinition = {
  name: 'health',
  entities,
  migrations,
  resolvers: [
    HealthChildResolver,
    HealthAssessmentResolver,
    HealthAdviceResolver,
    ReferralResolver,
    HealthServiceResolver,
    WaitingListResolver,
    SpaceCohortResolver,
    SpaceEnrolmentResolver,
    HealthMeasuresResolver,
    healthMeasure.MeasureEntityResolver,
    healthMeasure.MeasureCatalogueResolver,
    ...figures.resolvers,
  ],
  orphanedTypes: [Child, EhcNeedsAssessment, healthMeasure.MeasureEntity, ...figures.orphanedTypes],
  referenceResolvers: {
    Child: resolveChildReference,
    EhcNeedsAssessment: resolveAssessmentReference,
    HealthMeasure: healthMeasure.resolveReference,
    ...figures.referenceResolvers,
  },
  /**
   * Every type whose read is a read about one child (the audit middleware records
   * them): Child and EhcNeedsAssessment too, so that looking up a child's referrals
   * or an assessment's health advice is recorded even when there is none.
   */
  personLevelTypes: ['Child', 'EhcNeedsAssessment', 'Referral', 'SpaceEnrolment', 'SpaceAttendance', 'HealthAdvice'],
  appendOnlyTables: ['audit_event'],
  seed: seedHealth,
  isEmpty: async (em: EntityManager) =>
    (await em.getConnection().execute('SELECT NOT EXISTS (SELECT 1 FROM referral) AND NOT EXISTS (SELECT 1 FROM health_advice_request) AND NOT EXISTS (SELECT 1 FROM space_cohort) AS empty'))[0].empty,
};
