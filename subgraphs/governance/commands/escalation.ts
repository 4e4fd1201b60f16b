import { conflict } from '../../../platform/problems';
import { mustFind } from '../../toolkit/records';
import type { Command } from '../../toolkit/write';
import { Escalation, GovernanceBody, PriorityAction } from '../entities';
import { EscalationStatus, type Organisation } from '../entities/enums';
import { canName, problem, requiredText, SHORT_TEXT } from './checks';

/** An issue escalated to a body, optionally about an action. */
export interface NewEscalation {
  raisedBy: string;
  raisedByOrganisation: Organisation;
  bodyCode: string;
  issue: string;
  raisedDate: string;
  responseDueDate: string;
  actionId?: string | null;
  published?: boolean | null;
}

/** The body's response to an escalation. */
export interface EscalationResponse {
  escalationId: string;
  response: string;
  respondedDate: string;
}

/**
 * OPEN when raised. The same issue escalated to the same body on the same day is
 * one escalation: the database decides, and a second one is answered CONFLICT
 * naming the one that exists.
 */
export const raiseEscalation: Command<NewEscalation, { body: GovernanceBody | null; action: PriorityAction | null }, Escalation> = {
  load: async (tx, input) => ({
    body: canName(input.bodyCode) ? await tx.findOne(GovernanceBody, { code: input.bodyCode }) : null,
    action: input.actionId ? await mustFind(tx, PriorityAction, input.actionId, 'input.actionId', 'action') : null,
  }),
  check: (input, { body }) => [
    ...requiredText('input.raisedBy', input.raisedBy, SHORT_TEXT),
    ...requiredText('input.issue', input.issue),
    ...(input.responseDueDate < input.raisedDate ? [problem('input.responseDueDate', `is before it was raised (${input.raisedDate}).`)] : []),
    ...(body ? [] : [problem('input.bodyCode', `no governance body has code "${input.bodyCode}".`)]),
  ],
  apply: (tx, input, { body, action }) =>
    tx.create(Escalation, {
      raisedBy: input.raisedBy.trim(),
      raisedByOrganisation: input.raisedByOrganisation,
      body: body!,
      action,
      issue: input.issue.trim(),
      raisedDate: input.raisedDate,
      responseDueDate: input.responseDueDate,
      status: EscalationStatus.OPEN,
      published: input.published ?? false,
    }),
  onConflict: async (em, input) => {
    const existing = await em.findOne(Escalation, { body: { code: input.bodyCode }, raisedDate: input.raisedDate, issue: input.issue.trim() });
    return existing && conflict(`input.issue: this issue was escalated to ${input.bodyCode} on ${input.raisedDate} already.`, { type: 'Escalation', id: existing.id });
  },
};

/** A response to an escalation that is not closed, not dated before it was raised. */
export const respondToEscalation: Command<EscalationResponse, Escalation, Escalation> = {
  load: (tx, input) => mustFind(tx, Escalation, input.escalationId, 'input.escalationId', 'escalation'),
  check: (input, escalation) => [
    ...requiredText('input.response', input.response),
    ...(escalation.status === EscalationStatus.CLOSED ? [problem('input.escalationId', 'the escalation is closed.')] : []),
    ...(input.respondedDate < escalation.raisedDate ? [problem('input.respondedDate', `is before it was raised (${escalation.raisedDate}).`)] : []),
  ],
  apply: (_tx, input, escalation) => Object.assign(escalation, { response: input.response.trim(), respondedDate: input.respondedDate, status: EscalationStatus.RESPONDED }),
};

/** Closed once its response is accepted: only a RESPONDED escalation closes. */
export const closeEscalation: Command<{ escalationId: string }, Escalation, Escalation> = {
  load: (tx, input) => mustFind(tx, Escalation, input.escalationId, 'input.escalationId', 'escalation'),
  check: (_input, escalation) => (escalation.status === EscalationStatus.RESPONDED ? [] : [problem('input.escalationId', 'only an escalation with a response can be closed.')]),
  apply: (_tx, _input, escalation) => Object.assign(escalation, { status: EscalationStatus.CLOSED }),
};
