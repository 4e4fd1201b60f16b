import { Authorized, Directive, Field, ID, ObjectType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { DESCRIPTIONS } from '../../toolkit/shared-descriptions';

/** A pointer to an ICB measure: the health subgraph resolves its figures. */
@Authorized(Access.GOVERNANCE_READ)
@ObjectType('HealthMeasure', { description: DESCRIPTIONS.healthMeasure })
@Directive('@key(fields: "code", resolvable: false)')
export class HealthMeasureRef {
  @Field(() => ID, { description: 'The measure code.' })
  code!: string;
}
