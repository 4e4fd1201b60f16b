import { Authorized, Ctx, Directive, Field, FieldResolver, Float, ObjectType, Resolver, Root } from 'type-graphql';
import { Access } from '../../toolkit/access';
import type { SubgraphContext } from '../../toolkit/context';
import { DateScalar } from '../../toolkit/date-scalar';
import { refId } from '../../toolkit/records';
import { Kpi, Milestone } from '../entities';
import { ActionAssessment, REQUIRES_FIGURES } from '../entities/live';
import { actionsById, assessActions, kpisById, notFound, type FigureRoot } from './support';

@Authorized(Access.GOVERNANCE_READ)
@ObjectType({ description: 'A milestone as judged at a date: met when the board recorded it, or, when tied to a KPI, by the first reading that reached its threshold.' })
export class MilestoneJudged {
  @Field(() => Milestone, { description: 'The milestone judged.' })
  milestone!: Milestone;

  @Field(() => DateScalar, { nullable: true, description: 'The day it was met (for a tied milestone, the last day of the period whose reading reached the threshold); null while it is not.' })
  completedDate!: string | null;

  @Field(() => String, { nullable: true, description: 'For a tied milestone not yet met: where its KPI stands, in words.' })
  note!: string | null;

  @Field(() => String, { nullable: true, description: 'Why it cannot be judged at the date (its KPI could not be read); null when it can.' })
  unjudged!: string | null;
}

@Resolver(() => Milestone)
export class MilestoneResolver {
  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => Kpi, { nullable: true, description: 'The KPI whose reading meets this milestone (with threshold); null for a milestone the board marks complete.' })
  async kpi(@Root() milestone: Milestone, @Ctx() context: SubgraphContext): Promise<Kpi | null> {
    return milestone.kpi ? kpisById(context).load(refId(milestone.kpi)) : null;
  }

  @Authorized(Access.GOVERNANCE_READ)
  @FieldResolver(() => Float, { nullable: true, description: 'With kpi: the value a reading must reach, in the KPI\'s unit and direction.' })
  threshold(@Root() milestone: Milestone): number | null {
    return milestone.threshold ?? null;
  }
}

@Resolver(() => ActionAssessment)
export class ActionMilestonesResolver {
  @Authorized(Access.GOVERNANCE_READ)
  @Directive(REQUIRES_FIGURES)
  @FieldResolver(() => [MilestoneJudged], { description: 'The action\'s milestones as judged at asOf, by due date.' })
  async milestones(@Root() root: FigureRoot, @Ctx() context: SubgraphContext): Promise<MilestoneJudged[]> {
    const action = await actionsById(context).load(root.id);
    if (!action) throw notFound('Priority Action Plan action', root.id);
    const [result] = await assessActions(context, [action], root.asOf, root);
    return result.milestones.map((j) => ({ milestone: j.milestone, completedDate: j.completedDate, note: j.note, unjudged: j.unjudged }));
  }
}
