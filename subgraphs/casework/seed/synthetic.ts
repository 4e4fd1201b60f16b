import type { EntityManager } from '@mikro-orm/postgresql';

import { addDays, daysBetween } from '../../toolkit/dates';
import { linkKeyFor } from '../../toolkit/link-key';
import type { SeedOptions } from '../../toolkit/subgraph';
import { insertInChunks } from '../../toolkit/synthetic/insert';
import { Random } from '../../toolkit/synthetic/random';
import { NOTTINGHAMSHIRE_CHILDREN, syntheticPopulation } from '../../toolkit/synthetic/population';
import { Child, EhcPlan } from '../entities';




export async function seedCasework(em: EntityManager, options: SeedOptions): Promise<void> {
  const people = syntheticPopulation(Math.round(NOTTINGHAMSHIRE_CHILDREN * options.scale), options.today);
  const rng = new Random(4_891);
  const children: Array<Record<string, unknown>> = [];
  const plans: Array<Record<string, unknown>> = [];
  for (const person of people) {
    const id = rng.uuid();
    children.push({
      id,
      linkKey: linkKeyFor(person.nhsNumber, options.linkKeySecret),
      nhsNumber: person.nhsNumber,
      upn: person.upn,
      forename: person.forename,
      surname: person.surname,
      birthDate: person.birthDate,
      sex: person.sex,
      ethnicity: person.ethnicity,
      postcode: person.postcode,
      district: person.district,
    });
    if (rng.chance(0.72)) {
      const span = Math.max(daysBetween(person.birthDate, options.today), 1);
      const issueDate = addDays(person.birthDate, Math.min(span, rng.int(Math.min(730, span), span)));
      plans.push({ id: rng.uuid(), child: id, issueDate });
    }
  }
  await em.transactional(async (tx) => {
    await insertInChunks(tx as EntityManager, Child, children);
    await insertInChunks(tx as EntityManager, EhcPlan, plans);
  });
  options.log(`casework: ${children.length} children, ${plans.length} EHC plans`);
}

