export const ACTION_QUERY = /* GraphQL */ `
  query PriorityActionDetail($reference: String!, $asOf: Date) {
    priorityAction(reference: $reference) {
      id reference title ownerOrganisation leadRole startDate
      area { reference title }
      milestones { id title dueDate completedDate threshold kpi { name measureCode } }
      progressUpdates(first: 50) { totalCount nodes { id recordedDate currentPosition nextSteps recordedBy } }
      kpis { name measureCode }
      assessment(asOf: $asOf) { asOf status reasons overridden }
      overrideStatus overrideReason overrideExpiryDate
    }
    governanceBodies(first: 50) { nodes { code name } }
  }
`;

export const RECORD_PROGRESS = /* GraphQL */ `
  mutation RecordProgressUpdate($input: RecordProgressUpdateInput!) {
    recordProgressUpdate(input: $input) { progressUpdate { id recordedDate } }
  }
`;

export const RAISE_ESCALATION = /* GraphQL */ `
  mutation RaiseEscalation($input: EscalationInput!) {
    raiseEscalation(input: $input) { escalation { id responseDueDate } }
  }
`;
