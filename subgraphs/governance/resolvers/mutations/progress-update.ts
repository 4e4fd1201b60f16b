import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../../toolkit/access';
import type { SubgraphContext } from '../../../toolkit/context';
import { DateScalar } from '../../../toolkit/date-scalar';
import { payloadType } from '../../../toolkit/payload';
import { runCommand } from '../../../toolkit/write';
import { recordProgressUpdate } from '../../commands/progress-update';
import { ProgressUpdate } from '../../entities';

@InputType({ description: 'A progress report on an action: where it stands and what comes next.' })
class RecordProgressUpdateInput {
  @Field(() => ID, { description: 'The action.' })
  actionId!: string;

  @Field(() => DateScalar, { description: 'The date the position is reported at.' })
  recordedDate!: string;

  @Field({ description: 'Where the action stands.' })
  currentPosition!: string;

  @Field({ description: 'What happens next.' })
  nextSteps!: string;
}

const RecordProgressUpdatePayload = payloadType('recordProgressUpdate', 'progressUpdate', ProgressUpdate, 'The progress update, as recorded.');

/** Progress reports on actions (commands/progress-update.ts). */
@Resolver()
export class ProgressUpdateMutations {
  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => RecordProgressUpdatePayload, { description: 'Records a progress update. Refused unless it gives both the current position and the next steps.' })
  async recordProgressUpdate(@Arg('input', () => RecordProgressUpdateInput, { description: 'What to record.' }) input: RecordProgressUpdateInput, @Ctx() context: SubgraphContext): Promise<{ progressUpdate: ProgressUpdate }> {
    return { progressUpdate: await runCommand(context.em, context, recordProgressUpdate, { ...input, recordedBy: context.caller?.userId ?? 'unknown' }) };
  }
}
