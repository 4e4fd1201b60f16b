/**
 * The rows of the synthetic casework history: one interface per record the
 * council's case system holds, in the shape both seeds read (ids, not objects).
 */
import type { SyntheticPerson } from '../population';

/** A person of the area (the shared population, or a former child) as the case system holds them. */
export interface HistoryChild extends Omit<SyntheticPerson, 'index'> {
  id: string;
  uln: string | null;
  /** Primary need (SEN2 code) of the child's latest plan, if any. */
  primaryNeed: string | null;
  /** True for people of the shared population; false for former children the history needed (ceased plans, refused requests). */
  inPopulation: boolean;
}

export interface HistoryTeam {
  id: string;
  name: string;
  kind: 'PLAN_AND_REVIEW' | 'FOCUSED_ASSESSMENT';
}

export interface HistoryCaseworker {
  id: string;
  name: string;
  teamId: string;
}

export interface HistoryAllocation {
  id: string;
  childId: string;
  teamId: string | null;
  /** Null when the child deliberately has no allocated worker. */
  caseworkerId: string | null;
  startDate: string;
  /** Last day the allocation held (inclusive); null while it holds. */
  endDate: string | null;
  decidedBy: string | null;
  reason: string | null;
  nextReviewDate: string | null;
}

export interface HistoryRequest {
  id: string;
  childId: string;
  nhsNumber: string;
  receivedDate: string;
  source: 'PARENT' | 'SCHOOL' | 'HEALTH' | 'YOUNG_PERSON' | 'OTHER';
  /** SEN2 RequestOutcome: Y assess, N not assess, A not yet decided, W withdrawn. */
  outcome: 'Y' | 'N' | 'A' | 'W';
  outcomeDate: string | null;
  mediation: boolean;
  tribunal: boolean;
}

export interface HistoryAssessment {
  id: string;
  requestId: string;
  childId: string;
  nhsNumber: string;
  requestReceivedDate: string;
  /** SEN2 AssessmentOutcome: Y issue a plan, N not issue, A pending, W withdrawn. */
  outcome: 'Y' | 'N' | 'A' | 'W';
  outcomeDate: string | null;
  week20Exception: boolean;
  /** Reg 10(4) paragraph: A school closure, B early years closure, C exceptional personal circumstances, D absent from the area. */
  exceptionReason: 'A' | 'B' | 'C' | 'D' | null;
  epAdviceAskedDate: string | null;
  epAdviceReturnedDate: string | null;
  healthAdviceAskedDate: string | null;
  healthAdviceReturnedDate: string | null;
  socialCareAdviceAskedDate: string | null;
  socialCareAdviceReturnedDate: string | null;
}

export interface HistoryPlan {
  id: string;
  childId: string;
  assessmentId: string;
  draftIssueDate: string;
  issueDate: string;
  personalBudget: boolean;
  ceaseDate: string | null;
  /** SEN2 CeaseReason 1-9. */
  ceaseReason: string | null;
}

export interface HistoryPlacement {
  id: string;
  planId: string;
  rank: number;
  urn: string | null;
  ukprn: string | null;
  senSetting: string | null;
  senUnit: boolean;
  resourcedProvision: boolean;
}

export interface HistorySenNeed {
  id: string;
  planId: string;
  senType: string;
  rank: number;
}

export interface HistoryReview {
  id: string;
  planId: string;
  dueDate: string;
  meetingDate: string | null;
  /** M maintain, A amend, C cease. */
  outcome: 'M' | 'A' | 'C' | null;
  decisionDate: string | null;
}

export interface CaseworkHistory {
  children: HistoryChild[];
  teams: HistoryTeam[];
  caseworkers: HistoryCaseworker[];
  allocations: HistoryAllocation[];
  requests: HistoryRequest[];
  assessments: HistoryAssessment[];
  plans: HistoryPlan[];
  placements: HistoryPlacement[];
  senNeeds: HistorySenNeed[];
  reviews: HistoryReview[];
}
