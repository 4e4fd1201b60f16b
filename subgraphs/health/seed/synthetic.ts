import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays, daysBetween } from '../../toolkit/dates';
import { linkKeyFor } from '../../toolkit/link-key';
import type { SeedOptions } from '../../toolkit/subgraph';
import { insertInChunks } from '../../toolkit/synthetic/insert';
import { Random } from '../../toolkit/synthetic/random';
import { NOTTINGHAMSHIRE_CHILDREN, syntheticPopulation } from '../../toolkit/synthetic/population';
import { Referral } from '../entities';

const PATHWAYS = [['CAMHS', 30], ['NEURODEVELOPMENTAL', 30], ['SALT', 15], ['OT', 10], ['COMMUNITY_PAEDIATRICS', 10], ['PHYSIOTHERAPY', 5]] as const;

export async function seedHealth(em: EntityManager, options: SeedOptions): Promise<void> {
  const people = syntheticPopulation(Math.round(NOTTINGHAMSHIRE_CHILDREN * options.scale), options.today);
  const rng = new Random(5_891);
  const referrals: Array<Record<string, unknown>> = [];
  for (const person of people) {
    const linkKey = linkKeyFor(person.nhsNumber, options.linkKeySecret);
    const count = rng.weighted([[0, 35], [1, 40], [2, 18], [3, 7]] as const);
    for (let i = 0; i < count; i++) {
      const span = Math.max(daysBetween(person.birthDate, options.today), 1);
      const receivedDate = addDays(person.birthDate, rng.int(Math.floor(span / 3), span));
      const waitDays = Math.round(rng.logNormal(80, 0.8));
      const firstContact = addDays(receivedDate, waitDays);
      referrals.push({
        id: rng.uuid(),
        linkKey,
        pathway: rng.weighted(PATHWAYS),
        receivedDate,
        firstContactDate: firstContact <= options.today ? firstContact : null,
      });
    }
  }
  await em.transactional((tx) => insertInChunks(tx as EntityManager, Referral, referrals));
  options.log(`health: ${referrals.length} referrals`);
}
