import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../../toolkit/access';
import type { SubgraphContext } from '../../../toolkit/context';
import { payloadType } from '../../../toolkit/payload';
import { DateScalar } from '../../../toolkit/date-scalar';
import { runCommand } from '../../../toolkit/write';
import { allocateWorker, recordNoAllocatedWorker, type NoWorkerDecided, type WorkerAllocated } from '../../commands/allocation';
import { WorkerAllocation } from '../../entities';

@InputType({ description: 'Allocate a caseworker to a child from a date.' })
export class AllocateWorkerInput implements WorkerAllocated {
  @Field(() => ID, { description: 'The child.' })
  childId!: string;

  @Field(() => ID, { description: 'The caseworker.' })
  caseworkerId!: string;

  @Field(() => DateScalar, { description: 'First day of the allocation.' })
  startDate!: string;
}

@InputType({ description: 'Decide that a child will have no allocated worker (e.g. a plan working well), and when that is next reviewed.' })
export class NoAllocatedWorkerInput implements NoWorkerDecided {
  @Field(() => ID, { description: 'The child.' })
  childId!: string;

  @Field({ description: 'Who decided.' })
  decidedBy!: string;

  @Field({ description: 'Why.' })
  reason!: string;

  @Field(() => DateScalar, { description: 'First day without an allocated worker.' })
  startDate!: string;

  @Field(() => DateScalar, { description: 'When the decision is next reviewed.' })
  nextReviewDate!: string;
}

const AllocateWorkerPayload = payloadType('allocateWorker', 'allocation', WorkerAllocation, 'The allocation, as recorded.');
const RecordNoAllocatedWorkerPayload = payloadType('recordNoAllocatedWorker', 'allocation', WorkerAllocation, 'The allocation, as recorded.');

@Resolver()
export class AllocationMutations {
  @Authorized(Access.CASEWORK_PERSON_WRITE)
  @Mutation(() => AllocateWorkerPayload, { description: 'Allocate a caseworker to a child from a date; the allocation before it ends the day before.' })
  async allocateWorker(@Arg('input', () => AllocateWorkerInput, { description: 'What to record.' }) input: AllocateWorkerInput, @Ctx() context: SubgraphContext): Promise<{ allocation: WorkerAllocation }> {
    return { allocation: await runCommand(context.em, context, allocateWorker, input) };
  }

  @Authorized(Access.CASEWORK_PERSON_WRITE)
  @Mutation(() => RecordNoAllocatedWorkerPayload, { description: 'Record a decision that a child will have no allocated worker: who decided, why, and when it is next reviewed.' })
  async recordNoAllocatedWorker(@Arg('input', () => NoAllocatedWorkerInput, { description: 'What to record.' }) input: NoAllocatedWorkerInput, @Ctx() context: SubgraphContext): Promise<{ allocation: WorkerAllocation }> {
    return { allocation: await runCommand(context.em, context, recordNoAllocatedWorker, input) };
  }
}
