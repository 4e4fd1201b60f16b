import { Authorized, Directive, Field, ObjectType } from 'type-graphql';
import { Access } from '../../toolkit/access';
import { DESCRIPTIONS } from '../../toolkit/shared-descriptions';

/**
 * The council's Child, seen from health by its pseudonymous link key only: health
 * adds what it knows and learns nothing else about the child.
 */
@ObjectType({ description: DESCRIPTIONS.child })
@Authorized(Access.HEALTH_PERSON_READ)
@Directive('@key(fields: "linkKey")')
export class Child {
  @Field({ description: DESCRIPTIONS.linkKey })
  linkKey!: string;
}
