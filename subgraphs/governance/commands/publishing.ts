import { mustFind } from '../../toolkit/records';
import type { Command } from '../../toolkit/write';
import { Escalation, FamilyFeedback, GovernanceBody, Kpi, Meeting, PapArea, PriorityAction, Review } from '../entities';

/** The governance items that carry a published flag: what partner apps may be shown (rules/published.ts). */
export enum PublishableKind {
  GOVERNANCE_BODY = 'GOVERNANCE_BODY',
  MEETING = 'MEETING',
  PAP_AREA = 'PAP_AREA',
  PRIORITY_ACTION = 'PRIORITY_ACTION',
  KPI = 'KPI',
  ESCALATION = 'ESCALATION',
  REVIEW = 'REVIEW',
  FAMILY_FEEDBACK = 'FAMILY_FEEDBACK',
}

const PUBLISHABLE: Record<PublishableKind, new () => { id: string; published: boolean }> = {
  GOVERNANCE_BODY: GovernanceBody, MEETING: Meeting, PAP_AREA: PapArea, PRIORITY_ACTION: PriorityAction, KPI: Kpi, ESCALATION: Escalation, REVIEW: Review, FAMILY_FEEDBACK: FamilyFeedback,
};

export interface Publication {
  kind: PublishableKind;
  id: string;
  published: boolean;
}

/** Publishes an item to partner apps, or withdraws it. */
export const setPublished: Command<Publication, { id: string; published: boolean }, boolean> = {
  load: (tx, input) => mustFind(tx, PUBLISHABLE[input.kind], input.id, 'input.id', input.kind.toLowerCase().replace('_', ' ')),
  check: () => [],
  apply: (_tx, input, item) => {
    item.published = input.published;
    return true;
  },
};
