import { registerEnumType } from 'type-graphql';
import { SenType, RequestSource, RequestOutcome, AssessmentOutcome, AdviceType, TwentyWeekException, ReviewOutcome, SenSetting, CeaseReason, Sex, TeamKind, AgeBand } from './codes';

export * from './codes';

/**
 * The code lists of codes.ts as GraphQL enums: GraphQL shows a readable name for
 * each stored SEN2 code.
 */

registerEnumType(SenType, {
  name: 'SenType',
  description: 'Type of special educational need, as SEN2 codes it.',
  valuesConfig: {
    SPLD: { description: 'Specific learning difficulty.' },
    MLD: { description: 'Moderate learning difficulty.' },
    SLD: { description: 'Severe learning difficulty.' },
    PMLD: { description: 'Profound and multiple learning difficulty.' },
    SEMH: { description: 'Social, emotional and mental health.' },
    SLCN: { description: 'Speech, language and communication needs.' },
    HI: { description: 'Hearing impairment.' },
    VI: { description: 'Vision impairment.' },
    MSI: { description: 'Multi-sensory impairment.' },
    PD: { description: 'Physical disability.' },
    ASD: { description: 'Autistic spectrum disorder.' },
    OTH: { description: 'Other difficulty or disability.' },
    DS: { description: 'Down syndrome (in SEN2 from the 2025 return).' },
  },
});

registerEnumType(RequestSource, {
  name: 'RequestSource',
  description: 'Who made the request for an EHC needs assessment.',
  valuesConfig: {
    PARENT: { description: 'A parent or carer.' },
    SCHOOL: { description: 'The school, college or early years setting.' },
    HEALTH: { description: 'A health professional.' },
    YOUNG_PERSON: { description: 'The young person (16-25) themselves (SEN2 RYA).' },
    OTHER: { description: 'Anyone else.' },
  },
});

registerEnumType(RequestOutcome, {
  name: 'RequestOutcome',
  description: 'The decision on a request for an EHC needs assessment (SEN2 RequestOutcome).',
  valuesConfig: {
    ASSESS: { description: 'Y: decided to assess.' },
    NOT_ASSESS: { description: 'N: decided not to assess.' },
    NOT_YET_DECIDED: { description: 'A: no decision yet.' },
    WITHDRAWN: { description: 'W: the request was withdrawn.' },
    HISTORICAL: { description: 'H: historical, decided before the records began.' },
  },
});

registerEnumType(AssessmentOutcome, {
  name: 'AssessmentOutcome',
  description: 'The outcome of an EHC needs assessment (SEN2 AssessmentOutcome).',
  valuesConfig: {
    ISSUE_PLAN: { description: 'Y: decided to issue an EHC plan.' },
    NOT_ISSUE_PLAN: { description: 'N: decided not to issue a plan.' },
    PENDING: { description: 'A: assessment still under way.' },
    WITHDRAWN: { description: 'W: the assessment was withdrawn.' },
    HISTORICAL: { description: 'H: historical, or a plan transferred in from another council.' },
  },
});

registerEnumType(AdviceType, { name: 'AdviceType', description: 'Whose advice an EHC needs assessment asks for (reg 6).', valuesConfig: { EDUCATIONAL_PSYCHOLOGY: { description: 'Educational psychology advice.' }, HEALTH: { description: 'Health advice (from the ICB\'s services).' }, SOCIAL_CARE: { description: 'Social care advice.' } } });

registerEnumType(TwentyWeekException, {
  name: 'TwentyWeekException',
  description: 'Why the 20-week limit does not apply (SEND Regulations 2014, reg 10(4)).',
  valuesConfig: {
    SCHOOL_CLOSURE: { description: '(a) the school or post-16 institution was closed for 4 weeks or more around the advice request.' },
    EARLY_YEARS_CLOSURE: { description: '(b) the same for an early years provider.' },
    EXCEPTIONAL_PERSONAL_CIRCUMSTANCES: { description: '(c) exceptional personal circumstances of the child or family.' },
    ABSENT_FROM_AREA: { description: '(d) the child or family were away from the area for 4 weeks or more.' },
  },
});

registerEnumType(ReviewOutcome, {
  name: 'ReviewOutcome',
  description: 'The council\'s decision after an annual review (SEN2 ReviewOutcome).',
  valuesConfig: {
    MAINTAIN: { description: 'M: keep the plan as it is.' },
    AMEND: { description: 'A: amend the plan.' },
    CEASE: { description: 'C: cease the plan.' },
  },
});

registerEnumType(SenSetting, {
  name: 'SenSetting',
  description: 'A placement that is not a school or college with a URN/UKPRN (SEN2 SENSetting).',
  valuesConfig: {
    OLA: { description: 'Other arrangements made by the local authority.' },
    EHE: { description: 'Elective home education.' },
    EYP: { description: 'Early years provider without a URN.' },
    OPA: { description: 'Other arrangements made by parents.' },
    OTH: { description: 'Other.' },
    NEET: { description: 'Not in education, employment or training (16-25).' },
    NIEC: { description: 'Not in education: ceasing.' },
    NIEO: { description: 'Not in education: other reason.' },
  },
});

registerEnumType(CeaseReason, {
  name: 'CeaseReason',
  description: 'Why an EHC plan ceased (SEN2 CeaseReason 1-9).',
  valuesConfig: {
    MAXIMUM_AGE: { description: '1: reached the maximum age.' },
    NEEDS_MET: { description: '2: needs met without a plan.' },
    HIGHER_EDUCATION: { description: '3: moved on to higher education.' },
    EMPLOYMENT: { description: '4: moved on to paid employment.' },
    TRANSFERRED: { description: '5: transferred to another council.' },
    NOT_ENGAGING: { description: '6: young person no longer engaging in education or training.' },
    MOVED_ABROAD: { description: '7: moved outside England and Wales.' },
    DECEASED: { description: '8: died.' },
    OTHER: { description: '9: any other reason.' },
  },
});

registerEnumType(Sex, { name: 'Sex', description: 'Sex as SEN2 records it.', valuesConfig: { MALE: { description: 'M.' }, FEMALE: { description: 'F.' }, UNKNOWN: { description: 'U: not known.' } } });

registerEnumType(TeamKind, {
  name: 'TeamKind',
  description: 'What a team of the statutory SEND service does.',
  valuesConfig: {
    PLAN_AND_REVIEW: { description: 'Maintains EHC plans and their annual reviews.' },
    FOCUSED_ASSESSMENT: { description: 'Carries out EHC needs assessments.' },
  },
});

registerEnumType(AgeBand, { name: 'AgeBand', description: 'Age bands as DfE publishes EHC plan figures, by age today.', valuesConfig: { UNDER_5: { description: 'Under 5.' }, AGED_5_TO_10: { description: '5 to 10.' }, AGED_11_TO_15: { description: '11 to 15.' }, AGED_16_TO_19: { description: '16 to 19.' }, AGED_20_TO_25: { description: '20 to 25.' } } });
