import { Arg, Authorized, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../../toolkit/access';
import type { SubgraphContext } from '../../../toolkit/context';
import { payloadType } from '../../../toolkit/payload';
import { DateScalar } from '../../../toolkit/date-scalar';
import { runCommand } from '../../../toolkit/write';
import { createMeeting, recordMeetingOutcome } from '../../commands/meeting';
import { Meeting } from '../../entities';

@InputType({ description: 'Attendance from one organisation.' })
class AttendanceInput {
  @Field({ description: 'The organisation.' })
  organisation!: string;

  @Field(() => Int, { description: 'How many attended.' })
  count!: number;
}

@InputType({ description: 'An action arising from a meeting.' })
class ActionArisingInput {
  @Field({ description: 'What will be done.' })
  description!: string;

  @Field({ description: 'Who will do it.' })
  owner!: string;

  @Field(() => DateScalar, { description: 'By when.', nullable: true })
  dueDate?: string | null;
}

@InputType({ description: 'A meeting to schedule or record.' })
class MeetingInput {
  @Field({ description: 'The body\'s code, e.g. SPIB.' })
  bodyCode!: string;

  @Field(() => DateScalar, { description: 'The date it meets or met.' })
  heldDate!: string;

  @Field({ description: 'Title.' })
  title!: string;

  @Field(() => [String], { description: 'The topics the meeting focuses on.', nullable: true })
  focusTopics?: string[];

  @Field(() => [AttendanceInput], { description: 'Attendance by organisation.', nullable: true })
  attendance?: AttendanceInput[];

  @Field(() => [String], { nullable: true, description: 'What was discussed, one paragraph per item.' })
  discussion?: string[];

  @Field(() => [String], { description: 'Decisions taken.', nullable: true })
  decisions?: string[];

  @Field(() => [ActionArisingInput], { description: 'Actions arising.', nullable: true })
  actionsArising?: ActionArisingInput[];

  @Field({ nullable: true, description: 'Whether partner apps may see it (default false).' })
  published?: boolean;
}

@InputType({ description: 'What a meeting discussed and decided, and its actions arising.' })
class RecordMeetingOutcomeInput {
  @Field(() => ID, { description: 'The meeting.' })
  meetingId!: string;

  @Field(() => [String], { description: 'What was discussed, one paragraph per item.' })
  discussion!: string[];

  @Field(() => [String], { description: 'Decisions taken.' })
  decisions!: string[];

  @Field(() => [ActionArisingInput], { description: 'Actions arising.' })
  actionsArising!: ActionArisingInput[];
}

const CreateMeetingPayload = payloadType('createMeeting', 'meeting', Meeting, 'The meeting, as it stands after the write.');
const RecordMeetingOutcomePayload = payloadType('recordMeetingOutcome', 'meeting', Meeting, 'The meeting, as it stands after the write.');

/** Meetings of the governance bodies (commands/meeting.ts). */
@Resolver()
export class MeetingMutations {
  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => CreateMeetingPayload, { description: 'Schedules or records a meeting of a body.' })
  async createMeeting(@Arg('input', () => MeetingInput, { description: 'What to record.' }) input: MeetingInput, @Ctx() context: SubgraphContext): Promise<{ meeting: Meeting }> {
    return { meeting: await runCommand(context.em, context, createMeeting, input) };
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => RecordMeetingOutcomePayload, { description: 'Records what a meeting discussed and decided, and its actions arising (replacing what was recorded).' })
  async recordMeetingOutcome(@Arg('input', () => RecordMeetingOutcomeInput, { description: 'What to record.' }) input: RecordMeetingOutcomeInput, @Ctx() context: SubgraphContext): Promise<{ meeting: Meeting }> {
    return { meeting: await runCommand(context.em, context, recordMeetingOutcome, input) };
  }
}
