import { Arg, Authorized, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../../toolkit/access';
import type { SubgraphContext } from '../../../toolkit/context';
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
  @Field()
  description!: string;

  @Field()
  owner!: string;

  @Field(() => DateScalar, { nullable: true })
  dueDate?: string | null;
}

@InputType({ description: 'A meeting to schedule or record.' })
class MeetingInput {
  @Field({ description: 'The body\'s code, e.g. SPIB.' })
  bodyCode!: string;

  @Field(() => DateScalar)
  heldDate!: string;

  @Field()
  title!: string;

  @Field(() => [String], { nullable: true })
  focusTopics?: string[];

  @Field(() => [AttendanceInput], { nullable: true })
  attendance?: AttendanceInput[];

  @Field(() => [String], { nullable: true, description: 'What was discussed, one paragraph per item.' })
  discussion?: string[];

  @Field(() => [String], { nullable: true })
  decisions?: string[];

  @Field(() => [ActionArisingInput], { nullable: true })
  actionsArising?: ActionArisingInput[];

  @Field({ nullable: true, description: 'Whether partner apps may see it (default false).' })
  published?: boolean;
}

/** Meetings of the governance bodies (commands/meeting.ts). */
@Resolver()
export class MeetingMutations {
  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => Meeting, { description: 'Schedules or records a meeting of a body.' })
  createMeeting(@Arg('input', () => MeetingInput) input: MeetingInput, @Ctx() context: SubgraphContext): Promise<Meeting> {
    return runCommand(context.em, context, createMeeting, input);
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => Meeting, { description: 'Records what a meeting discussed and decided, and its actions arising (replacing what was recorded).' })
  recordMeetingOutcome(
    @Arg('meetingId', () => ID) meetingId: string,
    @Arg('discussion', () => [String]) discussion: string[],
    @Arg('decisions', () => [String]) decisions: string[],
    @Arg('actionsArising', () => [ActionArisingInput]) actionsArising: ActionArisingInput[],
    @Ctx() context: SubgraphContext,
  ): Promise<Meeting> {
    return runCommand(context.em, context, recordMeetingOutcome, { meetingId, discussion, decisions, actionsArising });
  }
}
