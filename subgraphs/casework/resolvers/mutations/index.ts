// Loaded in life-cycle order: type-graphql lists mutations in the order their modules declare them.
import { ChildMutations } from './child';
import { RequestMutations } from './request';
import { AssessmentMutations } from './assessment';
import { PlanMutations } from './plan';
import { ReviewMutations } from './review';
import { AllocationMutations } from './allocation';

/**
 * Recording the statutory life cycle, one aggregate per file: each mutation runs
 * its command (commands/) through the toolkit's one write path, which checks the
 * input (answering BAD_USER_INPUT naming every field at fault: extensions.field is
 * the first, extensions.problems lists them all), writes in one transaction with
 * its audit entries, and answers CONFLICT naming the record a duplicate ran into.
 */
export const caseworkMutations = [ChildMutations, RequestMutations, AssessmentMutations, PlanMutations, ReviewMutations, AllocationMutations];
