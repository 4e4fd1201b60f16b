import { Pathway } from './entities/enums';

export interface ServiceDefinition {
  code: string;
  name: string;
  provider: string;
  pathway: Pathway;
}

const NHFT = 'Nottinghamshire Healthcare NHS Foundation Trust';
const SFH = 'Sherwood Forest Hospitals NHS Foundation Trust';
const NUH = 'Nottingham University Hospitals NHS Trust';

/**
 * The catalogue of Nottinghamshire children's health services, with the service
 * codes providers put in referral files (service_code). Reference data, loaded by
 * the migration so that imports work on a database that has no synthetic data.
 */
export const NOTTINGHAMSHIRE_SERVICES: readonly ServiceDefinition[] = [
  { code: 'NN-CAMHS', name: 'North Nottinghamshire CAMHS', provider: NHFT, pathway: Pathway.CAMHS },
  { code: 'SN-CAMHS', name: 'South Nottinghamshire CAMHS', provider: NHFT, pathway: Pathway.CAMHS },
  { code: 'CAMHS-CRISIS', name: 'CAMHS Crisis, Liaison and Home Treatment', provider: NHFT, pathway: Pathway.CAMHS },
  { code: 'SPACE', name: 'SPACE parent programme (North Nottinghamshire CAMHS)', provider: NHFT, pathway: Pathway.SPACE },
  { code: 'ND-NORTH', name: 'Neurodevelopmental (autism and ADHD) assessment, north of the county', provider: SFH, pathway: Pathway.NEURODEVELOPMENTAL },
  { code: 'ND-SOUTH', name: 'Neurodevelopmental (autism and ADHD) assessment, south of the county', provider: NUH, pathway: Pathway.NEURODEVELOPMENTAL },
  { code: 'SALT', name: 'Children\'s speech and language therapy', provider: NHFT, pathway: Pathway.SALT },
  { code: 'OT', name: 'Children\'s occupational therapy', provider: NHFT, pathway: Pathway.OT },
  { code: 'PHYSIO', name: 'Children\'s physiotherapy', provider: NHFT, pathway: Pathway.PHYSIOTHERAPY },
  { code: 'PAEDS-NORTH', name: 'Community paediatrics, north of the county', provider: SFH, pathway: Pathway.COMMUNITY_PAEDIATRICS },
  { code: 'PAEDS-SOUTH', name: 'Community paediatrics, south of the county', provider: NUH, pathway: Pathway.COMMUNITY_PAEDIATRICS },
  { code: 'CYP-EDS', name: 'Children and young people\'s eating disorders service', provider: NHFT, pathway: Pathway.EATING_DISORDERS },
];
