import { Authorized, Directive, Field, ID, ObjectType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { DESCRIPTIONS } from '../../toolkit/shared-descriptions';

/**
 * The council's EHC needs assessment, seen from health by its id only: health adds
 * the dates of its advice and learns nothing else about the assessment.
 */
@ObjectType({ description: DESCRIPTIONS.ehcNeedsAssessment })
@Authorized(Access.HEALTH_ADVICE_DATES_READ)
@Directive('@key(fields: "id")')
export class EhcNeedsAssessment {
  @Field(() => ID, { description: 'The council\'s identifier for this EHC needs assessment.' })
  id!: string;
}
