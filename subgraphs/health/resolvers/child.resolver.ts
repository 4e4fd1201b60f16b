import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Access } from '../../toolkit/access';
import type { SubgraphContext } from '../../toolkit/context';
import { Child, Referral, SpaceEnrolment } from '../entities';
import { enrolmentsByLinkKey, referralsByLinkKey } from './loaders';

@Resolver(() => Child)
export class HealthChildResolver {
  @Authorized(Access.HEALTH_PERSON_READ)
  @FieldResolver(() => [Referral], { nullable: true, description: 'The child\'s referrals to children\'s health services, oldest first. Null, with a FORBIDDEN error, for a role that may not read referrals (the rest of the child still answers).' })
  async healthReferrals(@Root() child: Child, @Ctx() context: SubgraphContext): Promise<Referral[]> {
    if (!child.linkKey) return [];
    return referralsByLinkKey(context).load(child.linkKey);
  }

  @Authorized(Access.HEALTH_PERSON_READ)
  @FieldResolver(() => [SpaceEnrolment], { nullable: true, description: 'The SPACE cohorts the child\'s family has been enrolled in. Null, with a FORBIDDEN error, for a role that may not read them.' })
  async spaceEnrolments(@Root() child: Child, @Ctx() context: SubgraphContext): Promise<SpaceEnrolment[]> {
    if (!child.linkKey) return [];
    return enrolmentsByLinkKey(context).load(child.linkKey);
  }
}

/** Health holds no Child rows: a reference is the link key itself. */
export function resolveChildReference(reference: Record<string, unknown>): Child {
  return Object.assign(new Child(), { linkKey: String(reference.linkKey) });
}
