/** Builds small SEN2 returns for tests, element by element, as the DfE schema names them. */
export type El = [string, string | El[]];

function render([name, content]: El, indent = ''): string {
  if (typeof content === 'string') return `${indent}<${name}>${content}</${name}>`;
  return `${indent}<${name}>\n${content.map((c) => render(c, indent + '  ')).join('\n')}\n${indent}</${name}>`;
}

export function sen2(persons: El[][], header: { referenceDate?: string; lea?: string; collection?: string } = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails><Collection>${header.collection ?? 'SEN2'}</Collection><Year>2024</Year><ReferenceDate>${header.referenceDate ?? '2024-01-18'}</ReferenceDate></CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>${header.lea ?? '891'}</LEA></Source>
  </Header>
  <Persons>
${persons.map((p) => render(['Person', p], '    ')).join('\n')}
  </Persons>
</Message>
`;
}

export function person(fields: Record<string, string>, requests: El[][]): El[] {
  return [...Object.entries(fields).map(([k, v]) => [k, v] as El), ...requests.map((r) => ['Requests', r] as El)];
}

/** A request that led to a plan with an annual review: the common case. */
export function planRequest(o: {
  received: string;
  decided: string;
  assessed: string;
  start: string;
  week20?: boolean;
  need?: string;
  meeting?: string;
  reviewOutcome?: string;
  lastReview?: string;
  urn?: string;
}): El[] {
  const active: El[] = [
    ['PlacementDetail', [['URN', o.urn ?? '123456'], ['PlacementRank', '1']]],
    ['SENneed', [['SENtype', o.need ?? 'ASD'], ['SENtypeRank', '1']]],
  ];
  if (o.meeting) active.push(['ReviewMeeting', o.meeting]);
  if (o.reviewOutcome) active.push(['ReviewOutcome', o.reviewOutcome]);
  if (o.lastReview) active.push(['LastReview', o.lastReview]);
  return [
    ['ReceivedDate', o.received],
    ['RYA', 'false'],
    ['RequestOutcomeDate', o.decided],
    ['RequestOutcome', 'Y'],
    ['RequestMediation', 'false'],
    ['RequestTribunal', '0'],
    ['Exported', '891'],
    ['Assessment', [
      ['AssessmentOutcome', 'Y'],
      ['AssessmentOutcomeDate', o.assessed],
      ['Week20', o.week20 ? 'true' : 'false'],
      ['NamedPlan', [['StartDate', o.start], ['PlanDetail', [['URN', o.urn ?? '123456'], ['PlacementRank', '1']]], ['PB', 'FALSE']]],
    ]],
    ['ActivePlans', active],
  ];
}
