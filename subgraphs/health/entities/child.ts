import { Directive, Field, ObjectType } from 'type-graphql';
import { DESCRIPTIONS } from '../../toolkit/shared-descriptions';

/**
 * The council's Child, seen from health by its pseudonymous link key only: health
 * adds what it knows and learns nothing else about the child.
 */
@ObjectType({ description: DESCRIPTIONS.child })
@Directive('@key(fields: "linkKey")')
export class Child {
  @Field({ description: DESCRIPTIONS.linkKey })
  linkKey!: string;
}
