import { conflict } from '../../../platform/problems';
import { mustFind } from '../../toolkit/records';
import type { Command } from '../../toolkit/write';
import { GovernanceBody, Meeting } from '../entities';
import type { MeetingActionArising } from '../entities/body';
import { canName, eachText, optionalText, problem, requiredText, SHORT_TEXT } from './checks';

/** A meeting of a body, as a board member schedules or records it. */
export interface NewMeeting {
  bodyCode: string;
  heldDate: string;
  title: string;
  focusTopics?: string[] | null;
  attendance?: Array<{ organisation: string; count: number }> | null;
  discussion?: string[] | null;
  decisions?: string[] | null;
  actionsArising?: ActionArisingValues[] | null;
  published?: boolean | null;
}

export interface ActionArisingValues {
  description: string;
  owner: string;
  dueDate?: string | null;
}

/** What a meeting discussed and decided, and its actions arising: replaces what was recorded. */
export interface MeetingOutcome {
  meetingId: string;
  discussion: string[];
  decisions: string[];
  actionsArising: ActionArisingValues[];
}

function actionsArisingProblems(field: string, actions: readonly ActionArisingValues[] | null | undefined) {
  return (actions ?? []).flatMap((a, i) => [...requiredText(`${field}[${i}].description`, a.description), ...requiredText(`${field}[${i}].owner`, a.owner)]);
}

const actionsArising = (actions: readonly ActionArisingValues[] | null | undefined): MeetingActionArising[] =>
  (actions ?? []).map((a) => ({ description: a.description.trim(), owner: a.owner.trim(), dueDate: a.dueDate ?? null }));

/**
 * A meeting held while its body operates. A body meets once a day: the database
 * decides (meeting.body_id, held_on is unique), so a second meeting of a body on a
 * date, at once or later, is answered CONFLICT naming the one that exists.
 */
export const createMeeting: Command<NewMeeting, { body: GovernanceBody | null }, Meeting> = {
  load: async (tx, input) => ({ body: canName(input.bodyCode) ? await tx.findOne(GovernanceBody, { code: input.bodyCode }) : null }),
  check: (input, { body }) => [
    ...requiredText('input.title', input.title, SHORT_TEXT),
    ...eachText('input.focusTopics', input.focusTopics, (f, v) => optionalText(f, v)),
    ...(input.attendance ?? []).flatMap((a, i) => [
      ...requiredText(`input.attendance[${i}].organisation`, a.organisation),
      ...(a.count < 0 ? [problem(`input.attendance[${i}].count`, 'must not be negative.')] : []),
    ]),
    ...eachText('input.discussion', input.discussion, (f, v) => optionalText(f, v)),
    ...eachText('input.decisions', input.decisions, (f, v) => optionalText(f, v)),
    ...actionsArisingProblems('input.actionsArising', input.actionsArising),
    ...(!body
      ? [problem('input.bodyCode', `no governance body has code "${input.bodyCode}".`)]
      : input.heldDate < body.startDate || (body.endDate && input.heldDate > body.endDate)
        ? [problem('input.heldDate', `${body.name} operates from ${body.startDate}${body.endDate ? ` to ${body.endDate}` : ''}.`)]
        : []),
  ],
  apply: (tx, input, { body }) =>
    tx.create(Meeting, {
      body: body!,
      heldDate: input.heldDate,
      title: input.title.trim(),
      focusTopics: (input.focusTopics ?? []).map((t) => t.trim()).filter(Boolean),
      attendance: (input.attendance ?? []).map((a) => ({ organisation: a.organisation.trim(), count: a.count })),
      discussion: input.discussion ?? [],
      decisions: input.decisions ?? [],
      actionsArising: actionsArising(input.actionsArising),
      published: input.published ?? false,
    }),
  onConflict: async (em, input) => {
    const existing = await em.findOne(Meeting, { body: { code: input.bodyCode }, heldDate: input.heldDate });
    return existing && conflict(`input.heldDate: ${input.bodyCode} already has a meeting on ${input.heldDate}.`, { type: 'Meeting', id: existing.id });
  },
};

export const recordMeetingOutcome: Command<MeetingOutcome, Meeting, Meeting> = {
  load: (tx, input) => mustFind(tx, Meeting, input.meetingId, 'input.meetingId', 'meeting'),
  check: (input) => [
    ...eachText('input.discussion', input.discussion, (f, v) => optionalText(f, v)),
    ...eachText('input.decisions', input.decisions, (f, v) => requiredText(f, v)),
    ...actionsArisingProblems('input.actionsArising', input.actionsArising),
  ],
  apply: (_tx, input, meeting) => {
    meeting.discussion = input.discussion.map((d) => d.trim()).filter(Boolean);
    meeting.decisions = input.decisions.map((d) => d.trim());
    meeting.actionsArising = actionsArising(input.actionsArising);
    return meeting;
  },
};
