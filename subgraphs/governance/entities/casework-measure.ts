import { Authorized, Directive, Field, ID, ObjectType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { DESCRIPTIONS } from '../../toolkit/shared-descriptions';

/** A pointer to a council measure: the casework subgraph resolves its figures. */
@Authorized(Access.GOVERNANCE_READ)
@ObjectType('CaseworkMeasure', { description: DESCRIPTIONS.caseworkMeasure })
@Directive('@key(fields: "code", resolvable: false)')
export class CaseworkMeasureRef {
  @Field(() => ID, { description: 'The measure code.' })
  code!: string;
}
