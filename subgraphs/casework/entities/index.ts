import { WorkerAllocation } from './allocation';
import { AnnualReview } from './annual-review';
import { EhcNeedsAssessment } from './assessment';
import { Child } from './child';
import { ChildMerge } from './child-merge';
import { EhcPlan, PlanPlacement, SenNeed } from './ehc-plan';
import { EhcnaRequest } from './request';
import { Caseworker, Team } from './team';

export { AnnualReview, Caseworker, Child, ChildMerge, EhcNeedsAssessment, EhcnaRequest, EhcPlan, PlanPlacement, SenNeed, Team, WorkerAllocation };
export const entities = [Team, Caseworker, Child, WorkerAllocation, EhcnaRequest, EhcNeedsAssessment, EhcPlan, PlanPlacement, SenNeed, AnnualReview, ChildMerge];
