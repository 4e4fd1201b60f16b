/**
 * SEN2's closed code lists and the casework's other fixed vocabularies, as plain
 * enums. Each enum's stored value IS the SEN2 code (e.g. RequestOutcome.ASSESS = 'Y'),
 * so the database, the import and the DfE return use one vocabulary. No GraphQL
 * here: the SEN2 reader's thread checks codes against these lists and loads nothing
 * more (enums.ts registers them as GraphQL enums).
 */

export enum SenType {
  SPLD = 'SPLD',
  MLD = 'MLD',
  SLD = 'SLD',
  PMLD = 'PMLD',
  SEMH = 'SEMH',
  SLCN = 'SLCN',
  HI = 'HI',
  VI = 'VI',
  MSI = 'MSI',
  PD = 'PD',
  ASD = 'ASD',
  OTH = 'OTH',
  DS = 'DS',
}

export enum RequestSource {
  PARENT = 'PARENT',
  SCHOOL = 'SCHOOL',
  HEALTH = 'HEALTH',
  YOUNG_PERSON = 'YOUNG_PERSON',
  OTHER = 'OTHER',
}

export enum RequestOutcome {
  ASSESS = 'Y',
  NOT_ASSESS = 'N',
  NOT_YET_DECIDED = 'A',
  WITHDRAWN = 'W',
  HISTORICAL = 'H',
}

export enum AssessmentOutcome {
  ISSUE_PLAN = 'Y',
  NOT_ISSUE_PLAN = 'N',
  PENDING = 'A',
  WITHDRAWN = 'W',
  HISTORICAL = 'H',
}

export enum AdviceType {
  EDUCATIONAL_PSYCHOLOGY = 'EDUCATIONAL_PSYCHOLOGY',
  HEALTH = 'HEALTH',
  SOCIAL_CARE = 'SOCIAL_CARE',
}

export enum TwentyWeekException {
  SCHOOL_CLOSURE = 'A',
  EARLY_YEARS_CLOSURE = 'B',
  EXCEPTIONAL_PERSONAL_CIRCUMSTANCES = 'C',
  ABSENT_FROM_AREA = 'D',
}

export enum ReviewOutcome {
  MAINTAIN = 'M',
  AMEND = 'A',
  CEASE = 'C',
}

export enum SenSetting {
  OLA = 'OLA',
  EHE = 'EHE',
  EYP = 'EYP',
  OPA = 'OPA',
  OTH = 'OTH',
  NEET = 'NEET',
  NIEC = 'NIEC',
  NIEO = 'NIEO',
}

export enum CeaseReason {
  MAXIMUM_AGE = '1',
  NEEDS_MET = '2',
  HIGHER_EDUCATION = '3',
  EMPLOYMENT = '4',
  TRANSFERRED = '5',
  NOT_ENGAGING = '6',
  MOVED_ABROAD = '7',
  DECEASED = '8',
  OTHER = '9',
}

export enum Sex {
  MALE = 'M',
  FEMALE = 'F',
  UNKNOWN = 'U',
}

export enum TeamKind {
  PLAN_AND_REVIEW = 'PLAN_AND_REVIEW',
  FOCUSED_ASSESSMENT = 'FOCUSED_ASSESSMENT',
}

export enum AgeBand {
  UNDER_5 = 'UNDER_5',
  AGED_5_TO_10 = 'AGED_5_TO_10',
  AGED_11_TO_15 = 'AGED_11_TO_15',
  AGED_16_TO_19 = 'AGED_16_TO_19',
  AGED_20_TO_25 = 'AGED_20_TO_25',
}

/** Inclusive [min, max] years of age of each band. */
export const AGE_BANDS: Record<AgeBand, readonly [number, number]> = {
  UNDER_5: [0, 4],
  AGED_5_TO_10: [5, 10],
  AGED_11_TO_15: [11, 15],
  AGED_16_TO_19: [16, 19],
  AGED_20_TO_25: [20, 25],
};

export const SEN2_CODES = {
  senType: Object.values(SenType) as string[],
  requestOutcome: Object.values(RequestOutcome) as string[],
  assessmentOutcome: Object.values(AssessmentOutcome) as string[],
  reviewOutcome: Object.values(ReviewOutcome) as string[],
  senSetting: Object.values(SenSetting) as string[],
  ceaseReason: Object.values(CeaseReason) as string[],
  sex: Object.values(Sex) as string[],
};
