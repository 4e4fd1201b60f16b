import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../../toolkit/access';
import type { SubgraphContext } from '../../../toolkit/context';
import { DateScalar } from '../../../toolkit/date-scalar';
import { runCommand } from '../../../toolkit/write';
import { recordProgressUpdate } from '../../commands/progress-update';
import { ProgressUpdate } from '../../entities';

/** Progress reports on actions (commands/progress-update.ts). */
@Resolver()
export class ProgressUpdateMutations {
  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => ProgressUpdate, { description: 'Records a progress update. Refused unless it gives both the current position and the next steps.' })
  recordProgressUpdate(
    @Arg('actionId', () => ID) actionId: string,
    @Arg('recordedDate', () => DateScalar) recordedDate: string,
    @Arg('currentPosition', () => String) currentPosition: string,
    @Arg('nextSteps', () => String) nextSteps: string,
    @Ctx() context: SubgraphContext,
  ): Promise<ProgressUpdate> {
    return runCommand(context.em, context, recordProgressUpdate, { actionId, recordedDate, currentPosition, nextSteps, recordedBy: context.caller?.userId ?? 'unknown' });
  }
}
