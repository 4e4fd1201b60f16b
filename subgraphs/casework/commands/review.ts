import { conflict } from '../../../platform/problems';
import { today } from '../../toolkit/dates';
import { mustFind, refId } from '../../toolkit/records';
import type { Command } from '../../toolkit/write';
import { AnnualReview, EhcPlan } from '../entities';
import { CeaseReason, ReviewOutcome } from '../entities/enums';
import { ceasedBy, ceaseReasonProblem, meetingBefore, reviewAwaitingMeeting, reviewDecisionFollows, reviewDueDate, reviewMeetingFollows } from '../rules/life-cycle';
import { dateProblems, problem } from './checks';

/** A review meeting held (RecordReviewMeetingInput). */
export interface ReviewMeeting {
  planId: string;
  meetingDate: string;
}

/** The decision after a review meeting (RecordReviewDecisionInput). */
export interface ReviewDecision {
  reviewId: string;
  outcome: ReviewOutcome;
  decisionDate: string;
  ceaseReason?: CeaseReason | null;
}

export interface ReviewMeetingState {
  plan: EhcPlan;
  /** The plan's reviews, by due date. */
  reviews: AnnualReview[];
  today: string;
}

/**
 * A review meeting held: it completes the review awaiting a meeting, if one stands
 * (a missed one), or opens the next. One review per plan and meeting date, kept by
 * the database.
 */
export const recordReviewMeeting: Command<ReviewMeeting, ReviewMeetingState, AnnualReview> = {
  async load(tx, input) {
    const plan = await mustFind(tx, EhcPlan, input.planId, 'input.planId', 'EHC plan');
    return { plan, reviews: await tx.find(AnnualReview, { plan: plan.id }, { orderBy: { dueDate: 'asc' } }), today: today() };
  },
  check: (input, { plan, reviews, today }) => [
    ...dateProblems('input.meetingDate', input.meetingDate, today, reviewMeetingFollows(plan, reviews.map((r) => r.meetingDate))),
    ...(ceasedBy(plan, input.meetingDate) ? [problem('input.meetingDate', `the plan ceased on ${plan.ceaseDate}`)] : []),
  ],
  apply(tx, input, { plan, reviews }) {
    const held = reviews.map((r) => r.meetingDate);
    const review = reviewAwaitingMeeting(reviews) ?? tx.create(AnnualReview, { plan: plan.id, dueDate: reviewDueDate(plan.issueDate, meetingBefore(held, input.meetingDate)) });
    review.meetingDate = input.meetingDate;
    return review;
  },
  onConflict: async (em, input) => {
    const existing = await em.findOne(AnnualReview, { plan: input.planId, meetingDate: input.meetingDate });
    return existing && conflict(`input.meetingDate: a review meeting on ${input.meetingDate} is already recorded for this plan.`, { type: 'AnnualReview', id: existing.id });
  },
};

export interface ReviewDecisionState {
  review: AnnualReview;
  /** The plan, loaded when the decision ceases it. */
  plan: EhcPlan | null;
  today: string;
}

/** The decision after a review meeting; CEASE also ceases the plan on the decision date. */
export const recordReviewDecision: Command<ReviewDecision, ReviewDecisionState, AnnualReview> = {
  async load(tx, input) {
    const review = await mustFind(tx, AnnualReview, input.reviewId, 'input.reviewId', 'annual review');
    const plan = input.outcome === ReviewOutcome.CEASE ? await tx.findOneOrFail(EhcPlan, { id: refId(review.plan) }) : null;
    return { review, plan, today: today() };
  },
  check(input, { review, today }) {
    const cease = ceaseReasonProblem(input.outcome, input.ceaseReason);
    return [
      ...(review.meetingDate ? [] : [problem('input.reviewId', 'record the review meeting before its decision')]),
      ...dateProblems('input.decisionDate', input.decisionDate, today, reviewDecisionFollows(review)),
      ...(cease ? [problem('input.ceaseReason', cease)] : []),
    ];
  },
  apply(_tx, input, { review, plan }) {
    Object.assign(review, { outcome: input.outcome, decisionDate: input.decisionDate });
    if (plan) Object.assign(plan, { ceaseDate: input.decisionDate, ceaseReason: input.ceaseReason });
    return review;
  },
};
