import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { DESCRIPTIONS } from '../../toolkit/shared-descriptions';

/** A pointer to a council measure: the casework subgraph resolves its figures. */
@ObjectType('CaseworkMeasure', { description: DESCRIPTIONS.caseworkMeasure })
@Directive('@key(fields: "code", resolvable: false)')
export class CaseworkMeasureRef {
  @Field(() => ID, { description: 'The measure code.' })
  code!: string;
}
