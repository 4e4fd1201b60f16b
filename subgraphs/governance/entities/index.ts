import { ActionArising, Attendance, GovernanceBody, Meeting } from './body';
import { CaseworkMeasureRef } from './casework-measure';
import { HealthMeasureRef } from './health-measure';
import { Escalation, FamilyFeedback, PublishedComparator, Review, ReviewFinding } from './oversight';
import { Kpi, Milestone, PapArea, PriorityAction, PriorityActionKpi, ProgressUpdate } from './pap';

export * from './enums';
export { ActionArising, Attendance, CaseworkMeasureRef, HealthMeasureRef, Escalation, FamilyFeedback, GovernanceBody, Kpi, Meeting, Milestone, PapArea, PriorityAction, PriorityActionKpi, ProgressUpdate, PublishedComparator, Review, ReviewFinding };
export const entities = [GovernanceBody, Meeting, PapArea, Kpi, PriorityAction, Milestone, ProgressUpdate, PriorityActionKpi, Escalation, Review, ReviewFinding, FamilyFeedback, PublishedComparator];
