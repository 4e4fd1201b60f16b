import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, ObjectType, Resolver } from 'type-graphql';
import { Access } from '../../../toolkit/access';
import type { SubgraphContext } from '../../../toolkit/context';
import { DateScalar } from '../../../toolkit/date-scalar';
import { runCommand } from '../../../toolkit/write';
import { correctChild, mergeChildren, recordChild, type ChildCorrection, type ChildIdentity } from '../../commands/child';
import { Child, ChildMerge } from '../../entities';
import { Sex } from '../../entities/enums';

@InputType({ description: 'A new child, as the council records them. Identity fields are checked as SEN2 checks them (UPN check letter, NHS number modulus 11, postcode).' })
export class RecordChildInput implements ChildIdentity {
  @Field({ description: 'Forename.' })
  forename!: string;

  @Field({ description: 'Surname.' })
  surname!: string;

  @Field(() => DateScalar, { description: 'Date of birth.' })
  birthDate!: string;

  @Field(() => Sex, { description: 'Sex as SEN2 records it.' })
  sex!: Sex;

  @Field(() => String, { nullable: true, description: 'Ethnicity, a SEN2 code (e.g. WBRI).' })
  ethnicity?: string | null;

  @Field(() => String, { nullable: true, description: 'Home postcode.' })
  postcode?: string | null;

  @Field(() => String, { nullable: true, description: 'District of the county.' })
  district?: string | null;

  @Field(() => String, { nullable: true, description: 'Unique pupil number: a check letter then 12 characters.' })
  upn?: string | null;

  @Field(() => String, { nullable: true, description: 'Unique learner number, 10 digits.' })
  uln?: string | null;

  @Field(() => String, { nullable: true, description: 'NHS number, 10 digits with its modulus 11 check digit (spaces allowed). Held to make the link key; never served back.' })
  nhsNumber?: string | null;
}

@InputType({ description: 'A correction to a child\'s record: only the fields given change; null clears an optional field.' })
export class CorrectChildInput implements ChildCorrection {
  @Field(() => ID, { description: 'The child.' })
  childId!: string;

  @Field(() => String, { nullable: true, description: 'Forename.' })
  forename?: string;

  @Field(() => String, { nullable: true, description: 'Surname.' })
  surname?: string;

  @Field(() => DateScalar, { nullable: true, description: 'Date of birth; not after the child\'s first request for assessment.' })
  birthDate?: string;

  @Field(() => Sex, { nullable: true, description: 'Sex as SEN2 records it.' })
  sex?: Sex;

  @Field(() => String, { nullable: true, description: 'Ethnicity, a SEN2 code (e.g. WBRI); null clears it.' })
  ethnicity?: string | null;

  @Field(() => String, { nullable: true, description: 'Home postcode; null clears it.' })
  postcode?: string | null;

  @Field(() => String, { nullable: true, description: 'District of the county; null clears it.' })
  district?: string | null;

  @Field(() => String, { nullable: true, description: 'Unique pupil number: a check letter then 12 characters; null clears it.' })
  upn?: string | null;

  @Field(() => String, { nullable: true, description: 'Unique learner number, 10 digits; null clears it.' })
  uln?: string | null;

  @Field(() => String, { nullable: true, description: 'NHS number, 10 digits with its modulus 11 check digit; the link key is made again from it; null clears it.' })
  nhsNumber?: string | null;
}

@InputType({ description: 'Two records of the same child, to be made one.' })
export class MergeChildrenInput {
  @Field(() => ID, { description: 'The record kept.' })
  keepChildId!: string;

  @Field(() => ID, { description: 'The record merged into it and removed.' })
  mergeChildId!: string;

  @Field({ description: 'Why they are the same child.' })
  reason!: string;
}

@ObjectType({ description: 'The child recorded.' })
export class RecordChildPayload {
  @Field(() => Child, { description: 'The child as recorded.' })
  child!: Child;
}

@ObjectType({ description: 'The child as corrected.' })
export class CorrectChildPayload {
  @Field(() => Child, { description: 'The child with the correction applied.' })
  child!: Child;
}

@ObjectType({ description: 'The record kept and the merge as recorded.' })
export class MergeChildrenPayload {
  @Field(() => Child, { description: 'The record kept, with the other\'s requests, plans and allocations.' })
  child!: Child;

  @Field(() => ChildMerge, { description: 'The merge as the audit keeps it: which record went into which, when and why.' })
  merge!: ChildMerge;
}

@Resolver()
export class ChildMutations {
  @Authorized(Access.CASEWORK_PERSON_WRITE)
  @Mutation(() => RecordChildPayload, { description: 'Record a new child (children otherwise arrive through the SEN2 import). A UPN or NHS number another record holds is answered CONFLICT naming it.' })
  async recordChild(@Arg('input', () => RecordChildInput, { description: 'The child.' }) input: RecordChildInput, @Ctx() context: SubgraphContext): Promise<RecordChildPayload> {
    return { child: await runCommand(context.em, context, recordChild(context.linkKeySecret), input) };
  }

  @Authorized(Access.CASEWORK_PERSON_WRITE)
  @Mutation(() => CorrectChildPayload, { description: 'Correct a child\'s record, checked as a new one is.' })
  async correctChild(@Arg('input', () => CorrectChildInput, { description: 'The child and the fields to change.' }) input: CorrectChildInput, @Ctx() context: SubgraphContext): Promise<CorrectChildPayload> {
    return { child: await runCommand(context.em, context, correctChild(context.linkKeySecret), input) };
  }

  @Authorized(Access.CASEWORK_PERSON_WRITE)
  @Mutation(() => MergeChildrenPayload, { description: 'Merge two records of the same child: the kept record takes the other\'s requests, assessments, plans and allocations and any identity field it lacks; the merge is recorded and audited.' })
  async mergeChildren(@Arg('input', () => MergeChildrenInput, { description: 'The two records and why they are one child.' }) input: MergeChildrenInput, @Ctx() context: SubgraphContext): Promise<MergeChildrenPayload> {
    const merge = await runCommand(context.em, context, mergeChildren, { ...input, mergedBy: context.caller?.userId ?? 'unknown' });
    return { child: await context.em.findOneOrFail(Child, { id: merge.keptChildId }), merge };
  }
}
