import type { EntityManager } from '@mikro-orm/postgresql';
import type { SubgraphDefinition } from '../toolkit/subgraph';
import { figureContributionsFor } from '../toolkit/measures/figures';
import { caseworkCatalogue } from './measures/catalogue';
import { entities } from './entities';
import { migrations } from './migrations';
import { CaseworkerResolver, ChildResolver, resolveChildReference, TeamResolver, WorkerAllocationResolver } from './resolvers/child.resolver';
import { AnnualReviewResolver, EhcNeedsAssessmentResolver, EhcnaRequestResolver, EhcPlanResolver, resolveAssessmentReference } from './resolvers/life-cycle.resolver';
import { caseworkMeasure, CaseworkMeasuresResolver } from './resolvers/measures.resolver';
import { DistrictResolver } from './resolvers/districts.resolver';
import { MeasureForecastResolver, PipelineForecastResolver } from './resolvers/forecast.resolver';
import { caseworkMutations } from './resolvers/mutations';
import { seedCasework } from './seed/synthetic';

/** Live figures for governance's KPI readings, action statuses and dashboard (governance never stores them). */
const figures = figureContributionsFor('casework', caseworkCatalogue);

/** The council's statutory SEND casework: its own database, its own login. */
export const casework: SubgraphDefinition = {
  name: 'casework',
  entities,
  migrations,
  resolvers: [
    ChildResolver,
    WorkerAllocationResolver,
    CaseworkerResolver,
    TeamResolver,
    EhcnaRequestResolver,
    EhcNeedsAssessmentResolver,
    EhcPlanResolver,
    AnnualReviewResolver,
    ...caseworkMutations,
    CaseworkMeasuresResolver,
    caseworkMeasure.MeasureEntityResolver,
    caseworkMeasure.MeasureCatalogueResolver,
    DistrictResolver,
    PipelineForecastResolver,
    MeasureForecastResolver,
    ...figures.resolvers,
  ],
  orphanedTypes: [caseworkMeasure.MeasureEntity, ...figures.orphanedTypes],
  referenceResolvers: {
    Child: resolveChildReference,
    EhcNeedsAssessment: resolveAssessmentReference,
    CaseworkMeasure: caseworkMeasure.resolveReference,
    ...figures.referenceResolvers,
  },
  /** Every GraphQL type that describes a person: reads of these are audited. */
  personLevelTypes: ['Child', 'ChildMerge', 'EhcnaRequest', 'EhcNeedsAssessment', 'EhcPlan', 'PlanPlacement', 'SenNeed', 'AnnualReview', 'WorkerAllocation'],
  appendOnlyTables: ['audit_event'],
  seed: seedCasework,
  isEmpty: async (em: EntityManager) => (await em.getConnection().execute('SELECT NOT EXISTS (SELECT 1 FROM child) AS empty'))[0].empty,
};
