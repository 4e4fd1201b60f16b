import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Access } from '../../toolkit/access';
import type { SubgraphContext } from '../../toolkit/context';
import { DateScalar } from '../../toolkit/date-scalar';
import { EhcNeedsAssessment, HealthAdvice } from '../entities';
import { healthAdviceDueDate, returnedWithinSixWeeks } from '../rules/waiting';
import { healthAdviceByAssessment } from './loaders';

@Resolver(() => EhcNeedsAssessment)
export class HealthAssessmentResolver {
  @Authorized(Access.HEALTH_ADVICE_DATES_READ)
  @FieldResolver(() => HealthAdvice, { nullable: true, description: 'The health advice asked for in this assessment: dates only. Null when health holds no request for it.' })
  async healthAdvice(@Root() assessment: EhcNeedsAssessment, @Ctx() context: SubgraphContext): Promise<HealthAdvice | null> {
    return healthAdviceByAssessment(context).load(assessment.id);
  }
}

@Resolver(() => HealthAdvice)
export class HealthAdviceResolver {
  @Authorized(Access.HEALTH_ADVICE_DATES_READ)
  @FieldResolver(() => DateScalar, { description: 'The day the advice is due: 6 weeks (42 days) after it was asked for.' })
  dueDate(@Root() advice: HealthAdvice): string {
    return healthAdviceDueDate(advice.askedDate);
  }

  @Authorized(Access.HEALTH_ADVICE_DATES_READ)
  @FieldResolver(() => Boolean, { nullable: true, description: 'True when returned on or before the due date; false when returned later; null while outstanding.' })
  returnedWithinSixWeeks(@Root() advice: HealthAdvice): boolean | null {
    return returnedWithinSixWeeks(advice.askedDate, advice.returnedDate);
  }
}

export function resolveAssessmentReference(reference: Record<string, unknown>): EhcNeedsAssessment {
  return Object.assign(new EhcNeedsAssessment(), { id: String(reference.id) });
}
