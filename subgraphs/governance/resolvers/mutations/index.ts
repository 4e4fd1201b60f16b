// Imported in the order the schema lists the mutations (type-graphql registers them as their modules load).
import { MeetingMutations } from './meeting';
import { KpiMutations } from './kpi';
import { PriorityActionMutations } from './priority-action';
import { MilestoneMutations, MilestoneTieMutations } from './milestone';
import { ProgressUpdateMutations } from './progress-update';
import { ActionStatusMutations } from './action-status';
import { EscalationMutations } from './escalation';
import { FamilyFeedbackMutations } from './family-feedback';
import { PublishingMutations } from './publishing';

/**
 * Every governance write, one resolver per aggregate: each mutation is a
 * board-members-only call of its command (subgraphs/governance/commands/), which
 * loads, checks, applies and is audited through the toolkit's one write path.
 */
export const governanceMutations = [
  MeetingMutations, KpiMutations, PriorityActionMutations, MilestoneMutations, MilestoneTieMutations, ProgressUpdateMutations, ActionStatusMutations, EscalationMutations, FamilyFeedbackMutations, PublishingMutations,
];
