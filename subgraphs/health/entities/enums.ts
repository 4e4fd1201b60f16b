import { registerEnumType } from 'type-graphql';

/** The children's health care pathways the ICB commissions and reports on. */
export enum Pathway {
  CAMHS = 'CAMHS',
  NEURODEVELOPMENTAL = 'NEURODEVELOPMENTAL',
  SALT = 'SALT',
  OT = 'OT',
  PHYSIOTHERAPY = 'PHYSIOTHERAPY',
  COMMUNITY_PAEDIATRICS = 'COMMUNITY_PAEDIATRICS',
  EATING_DISORDERS = 'EATING_DISORDERS',
  SPACE = 'SPACE',
}

export enum Urgency {
  ROUTINE = 'ROUTINE',
  URGENT = 'URGENT',
}

export enum ReferralStatus {
  WAITING = 'WAITING',
  SEEN = 'SEEN',
  DISCHARGED = 'DISCHARGED',
}

export enum SpaceDelivery {
  GROUP = 'GROUP',
  ONE_TO_ONE = 'ONE_TO_ONE',
}

registerEnumType(Pathway, {
  name: 'Pathway',
  description: 'A children\'s health care pathway.',
  valuesConfig: {
    CAMHS: { description: 'Child and adolescent mental health services.' },
    NEURODEVELOPMENTAL: { description: 'Neurodevelopmental (autism and ADHD) assessment.' },
    SALT: { description: 'Speech and language therapy.' },
    OT: { description: 'Occupational therapy.' },
    PHYSIOTHERAPY: { description: 'Children\'s physiotherapy.' },
    COMMUNITY_PAEDIATRICS: { description: 'Community paediatrics.' },
    EATING_DISORDERS: { description: 'Children and young people\'s eating disorder service.' },
    SPACE: { description: 'SPACE: Supportive Parenting for Anxious Childhood Emotions, a parent-only programme.' },
  },
});

registerEnumType(Urgency, { name: 'Urgency', description: 'How urgently the referrer asked for the child to be seen.', valuesConfig: { ROUTINE: { description: 'Routine.' }, URGENT: { description: 'Urgent.' } } });

registerEnumType(ReferralStatus, {
  name: 'ReferralStatus',
  description: 'Where a referral stands on a date.',
  valuesConfig: {
    WAITING: { description: 'Received, with no first care contact and no discharge yet.' },
    SEEN: { description: 'Had a first care contact, not discharged.' },
    DISCHARGED: { description: 'Discharged (seen or not).' },
  },
});

registerEnumType(SpaceDelivery, {
  name: 'SpaceDelivery',
  description: 'How a SPACE cohort is delivered.',
  valuesConfig: {
    GROUP: { description: 'Group sessions for several families.' },
    ONE_TO_ONE: { description: 'Sessions with one family.' },
  },
});

export const PATHWAYS = Object.values(Pathway);
export const URGENCIES = Object.values(Urgency);
