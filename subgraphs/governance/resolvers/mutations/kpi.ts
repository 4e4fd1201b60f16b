import { Arg, Authorized, Ctx, Field, Float, ID, InputType, Mutation, Resolver } from 'type-graphql';
import { Access } from '../../../toolkit/access';
import type { SubgraphContext } from '../../../toolkit/context';
import { payloadType } from '../../../toolkit/payload';
import { DateScalar } from '../../../toolkit/date-scalar';
import { Interval } from '../../../toolkit/measures/periods';
import { runCommand } from '../../../toolkit/write';
import { createKpi, updateKpi } from '../../commands/kpi';
import { Kpi } from '../../entities';
import { DirectionValue } from '../../entities/enums';
import { CASEWORK_CODES, HEALTH_CODES } from '../../rules/codes';

@InputType({ description: 'The value expected for one period.' })
class TrajectoryPointInput {
  @Field(() => DateScalar, { description: 'Last day of the period.' })
  periodEnd!: string;

  @Field(() => Float, { description: 'The value expected.' })
  value!: number;
}

@InputType({ description: 'A KPI: a casework or health measure code with a baseline, target and trajectory.' })
class KpiInput {
  @Field({ description: 'Name as the board reports it.' })
  name!: string;

  @Field(() => ID, { description: `A casework code (${CASEWORK_CODES.join(', ')}) or a health code (${HEALTH_CODES.join(', ')}).` })
  measureCode!: string;

  @Field(() => Interval, { description: 'How the measure\'s periods are cut.' })
  interval!: Interval;

  @Field(() => Float, { description: 'The value when the plan started.', nullable: true })
  baseline?: number | null;

  @Field(() => String, { description: 'The period of the baseline, in words, e.g. 2024/25.', nullable: true })
  baselinePeriod?: string | null;

  @Field(() => Float, { description: 'The value aimed for.', nullable: true })
  target?: number | null;

  @Field(() => DateScalar, { description: 'When the target should be met.', nullable: true })
  targetDate?: string | null;

  @Field(() => DirectionValue, { description: 'Whether a higher or a lower value is better.' })
  direction!: DirectionValue;

  @Field(() => Float, { description: 'How far short of the trajectory, in the measure\'s unit, still counts as AMBER rather than RED.' })
  amberTolerance!: number;

  @Field(() => [TrajectoryPointInput], { description: 'The value expected per period.', nullable: true })
  trajectory?: TrajectoryPointInput[];

  @Field(() => [String], { nullable: true, description: 'Old LA codes of statistical neighbours, e.g. ["886", "855"].' })
  statisticalNeighbours?: string[];

  @Field({ description: 'Whether partner apps may see it (default true).', nullable: true })
  published?: boolean;
}

@InputType({ description: 'Changes to a KPI\'s targets; fields left out keep their value. The measure code and interval do not change (make a new KPI).' })
class KpiUpdateInput {
  @Field(() => ID, { description: 'The KPI to change.' })
  kpiId!: string;

  @Field({ description: 'Name as the board reports it.', nullable: true })
  name?: string;

  @Field(() => Float, { description: 'The value when the plan started.', nullable: true })
  baseline?: number | null;

  @Field(() => String, { description: 'The period of the baseline, in words, e.g. 2024/25.', nullable: true })
  baselinePeriod?: string | null;

  @Field(() => Float, { description: 'The value aimed for.', nullable: true })
  target?: number | null;

  @Field(() => DateScalar, { description: 'When the target should be met.', nullable: true })
  targetDate?: string | null;

  @Field(() => DirectionValue, { description: 'Whether a higher or a lower value is better.', nullable: true })
  direction?: DirectionValue;

  @Field(() => Float, { description: 'How far short of the trajectory, in the measure\'s unit, still counts as AMBER rather than RED.', nullable: true })
  amberTolerance?: number;

  @Field(() => [TrajectoryPointInput], { nullable: true, description: 'Replaces the whole trajectory.' })
  trajectory?: TrajectoryPointInput[];

  @Field(() => [String], { nullable: true, description: 'Replaces the statistical neighbours (old LA codes).' })
  statisticalNeighbours?: string[];
}

const CreateKpiPayload = payloadType('createKpi', 'kpi', Kpi, 'The KPI, as it stands after the write.');
const UpdateKpiPayload = payloadType('updateKpi', 'kpi', Kpi, 'The KPI, as it stands after the write.');

/** KPIs and their targets (commands/kpi.ts). */
@Resolver()
export class KpiMutations {
  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => CreateKpiPayload, { description: 'Adds a KPI over a casework or health measure code.' })
  async createKpi(@Arg('input', () => KpiInput, { description: 'What to record.' }) input: KpiInput, @Ctx() context: SubgraphContext): Promise<{ kpi: Kpi }> {
    return { kpi: await runCommand(context.em, context, createKpi, input) };
  }

  @Authorized(Access.GOVERNANCE_WRITE)
  @Mutation(() => UpdateKpiPayload, { description: 'Changes a KPI\'s name, baseline, target, trajectory, direction, tolerance or statistical neighbours.' })
  async updateKpi(@Arg('input', () => KpiUpdateInput, { description: 'The KPI and what to change.' }) input: KpiUpdateInput, @Ctx() context: SubgraphContext): Promise<{ kpi: Kpi }> {
    return { kpi: await runCommand(context.em, context, updateKpi, input) };
  }
}
