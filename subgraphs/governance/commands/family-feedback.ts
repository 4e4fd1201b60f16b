import { conflict } from '../../../platform/problems';
import { mustFind } from '../../toolkit/records';
import type { Command } from '../../toolkit/write';
import { FamilyFeedback } from '../entities';
import type { FeedbackSource } from '../entities/enums';
import { problem, requiredText, SHORT_TEXT } from './checks';

/** What families or young people said ("you said"), without naming anyone. */
export interface NewFamilyFeedback {
  source: FeedbackSource;
  theme: string;
  receivedDate: string;
  youSaid: string;
  published?: boolean | null;
}

/** The partnership's response ("we did"). */
export interface FeedbackResponse {
  feedbackId: string;
  weDid: string;
  respondedDate: string;
}

/**
 * The same words from the same source on the same theme and day are one piece of
 * feedback: the database decides, and a second one is answered CONFLICT naming
 * the one that exists.
 */
export const recordFamilyFeedback: Command<NewFamilyFeedback, null, FamilyFeedback> = {
  load: async () => null,
  check: (input) => [...requiredText('input.theme', input.theme, SHORT_TEXT), ...requiredText('input.youSaid', input.youSaid)],
  apply: (tx, input) =>
    tx.create(FamilyFeedback, { source: input.source, theme: input.theme.trim(), receivedDate: input.receivedDate, youSaid: input.youSaid.trim(), published: input.published ?? true }),
  onConflict: async (em, input) => {
    const existing = await em.findOne(FamilyFeedback, { source: input.source, theme: input.theme.trim(), receivedDate: input.receivedDate, youSaid: input.youSaid.trim() });
    // The words themselves stay out of the message: family voice is told without names, but not checked for them.
    return existing && conflict(`input.youSaid: this feedback from ${input.source} received on ${input.receivedDate} is recorded already.`, { type: 'FamilyFeedback', id: existing.id });
  },
};

/** A response not dated before the feedback was received. */
export const respondToFamilyFeedback: Command<FeedbackResponse, FamilyFeedback, FamilyFeedback> = {
  load: (tx, input) => mustFind(tx, FamilyFeedback, input.feedbackId, 'input.feedbackId', 'family feedback'),
  check: (input, feedback) => [
    ...requiredText('input.weDid', input.weDid),
    ...(input.respondedDate < feedback.receivedDate ? [problem('input.respondedDate', `is before the feedback was received (${feedback.receivedDate}).`)] : []),
  ],
  apply: (_tx, input, feedback) => Object.assign(feedback, { weDid: input.weDid.trim(), respondedDate: input.respondedDate }),
};
