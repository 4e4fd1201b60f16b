import { registerEnumType } from 'type-graphql';

export enum Organisation {
  LA = 'LA',
  ICB = 'ICB',
  JOINT = 'JOINT',
}
registerEnumType(Organisation, { name: 'Organisation', description: 'Who owns an action or raised an item: LA (the council), ICB (the Integrated Care Board) or JOINT (both).', valuesConfig: { LA: { description: 'The council (local authority).' }, ICB: { description: 'The Integrated Care Board.' }, JOINT: { description: 'The council and the ICB together.' } } });

export enum ActionStatusValue {
  ON_TRACK = 'ON_TRACK',
  AT_RISK = 'AT_RISK',
  OFF_TRACK = 'OFF_TRACK',
  COMPLETE = 'COMPLETE',
}
registerEnumType(ActionStatusValue, {
  name: 'ActionStatus',
  description: 'A Priority Action Plan action\'s status by the written rule: OFF_TRACK when a milestone is overdue or a linked KPI has been red for two consecutive periods; AT_RISK when a milestone falls due within 28 days unfinished, a linked KPI is amber or red, or no progress update has been recorded for six weeks; COMPLETE when every milestone is done; otherwise ON_TRACK. A board override with a reason holds until its expiry date.',
  valuesConfig: { ON_TRACK: { description: 'On track.' }, AT_RISK: { description: 'At risk of missing its milestones or KPIs.' }, OFF_TRACK: { description: 'Off track.' }, COMPLETE: { description: 'Complete.' } },
});

export enum RagValue {
  GREEN = 'GREEN',
  AMBER = 'AMBER',
  RED = 'RED',
  GREY = 'GREY',
}
registerEnumType(RagValue, { name: 'Rag', description: 'GREEN: meets or beats the trajectory; AMBER: short by no more than the amber tolerance; RED: short by more; GREY: no value (no data, or withheld to protect small numbers).', valuesConfig: { GREEN: { description: 'Meets or beats the trajectory.' }, AMBER: { description: 'Short of the trajectory by no more than the amber tolerance.' }, RED: { description: 'Short of the trajectory by more than the amber tolerance.' }, GREY: { description: 'No value: no data, or withheld to protect small numbers.' } } });

export enum DirectionValue {
  HIGHER_IS_BETTER = 'HIGHER_IS_BETTER',
  LOWER_IS_BETTER = 'LOWER_IS_BETTER',
}
registerEnumType(DirectionValue, { name: 'KpiDirection', description: 'Whether a higher or a lower value is better.', valuesConfig: { HIGHER_IS_BETTER: { description: 'A higher value is better.' }, LOWER_IS_BETTER: { description: 'A lower value is better.' } } });

export enum TrendValue {
  IMPROVING = 'IMPROVING',
  WORSENING = 'WORSENING',
  STEADY = 'STEADY',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(TrendValue, { name: 'Trend', description: 'How the latest value moved since the period before, in the KPI\'s direction.', valuesConfig: { IMPROVING: { description: 'Moved the better way.' }, WORSENING: { description: 'Moved the worse way.' }, STEADY: { description: 'Did not move.' }, UNKNOWN: { description: 'Cannot tell: a value is missing or withheld.' } } });

export enum EscalationStatus {
  OPEN = 'OPEN',
  RESPONDED = 'RESPONDED',
  CLOSED = 'CLOSED',
}
registerEnumType(EscalationStatus, { name: 'EscalationStatus', description: 'OPEN until the body responds; RESPONDED once it has; CLOSED when the raiser accepts the response.', valuesConfig: { OPEN: { description: 'Waiting for the body\'s response.' }, RESPONDED: { description: 'The body has responded.' }, CLOSED: { description: 'The raiser accepted the response.' } } });

export enum ReviewKind {
  STOCKTAKE = 'STOCKTAKE',
  DEEP_DIVE = 'DEEP_DIVE',
}
registerEnumType(ReviewKind, { name: 'ReviewKind', description: 'A DfE/NHS England STOCKTAKE of the Priority Action Plan, or an Area of Priority Action DEEP_DIVE.', valuesConfig: { STOCKTAKE: { description: 'A DfE/NHS England stocktake of the Priority Action Plan.' }, DEEP_DIVE: { description: 'A deep dive into an Area of Priority Action.' } } });

export enum FindingKind {
  STRENGTH = 'STRENGTH',
  IMPROVEMENT_NEEDED = 'IMPROVEMENT_NEEDED',
}
registerEnumType(FindingKind, { name: 'FindingKind', description: 'Whether a finding is a strength or an improvement needed.', valuesConfig: { STRENGTH: { description: 'A strength.' }, IMPROVEMENT_NEEDED: { description: 'An improvement needed.' } } });

export enum FeedbackSource {
  SURVEY = 'SURVEY',
  SESSION = 'SESSION',
  PARENT_CARER_FORUM = 'PARENT_CARER_FORUM',
  YOUNG_PEOPLES_GROUP = 'YOUNG_PEOPLES_GROUP',
}
registerEnumType(FeedbackSource, { name: 'FeedbackSource', description: 'Where family voice came from: a survey, a session, the parent carer forum, or a young people\'s group.', valuesConfig: { SURVEY: { description: 'A survey.' }, SESSION: { description: 'A listening session or event.' }, PARENT_CARER_FORUM: { description: 'The parent carer forum.' }, YOUNG_PEOPLES_GROUP: { description: 'A young people\'s group.' } } });

export enum GeographicLevel {
  NATIONAL = 'NATIONAL',
  REGIONAL = 'REGIONAL',
  LOCAL_AUTHORITY = 'LOCAL_AUTHORITY',
}
registerEnumType(GeographicLevel, { name: 'GeographicLevel', description: 'England (NATIONAL), a region, or a local authority, as DfE publishes.', valuesConfig: { NATIONAL: { description: 'England.' }, REGIONAL: { description: 'A region of England.' }, LOCAL_AUTHORITY: { description: 'A local authority.' } } });
