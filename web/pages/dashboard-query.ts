/** The dashboard's one call to the API: everything on the page, at a date. */
export const DASHBOARD_QUERY = /* GraphQL */ `
  query Dashboard($asOf: Date, $from: Date!, $to: Date!) {
    assuranceDashboard(asOf: $asOf) {
      asOf
      kpiCards {
        name
        ownerOrganisation
        value
        periodStart
        periodEnd
        suppressed
        target
        trajectoryValue
        rag
        ragReason
        previousRag
        trend
        englandComparator { value year timePeriod areaName }
        kpi {
          id
          measureCode
          interval
          direction
          statisticalNeighbours
          trajectory { periodEnd value }
          caseworkMeasure { unit series(interval: MONTH, from: $from, to: $to) { periodEnd value suppressed } }
          healthMeasure { unit series(interval: MONTH, from: $from, to: $to) { periodEnd value suppressed } }
          comparators { year geographicLevel areaName value marker }
        }
      }
      priorityActionPlan {
        area { reference title }
        byStatus { status count }
      }
      actionsNeedingAttention {
        status
        reasons
        latestNextSteps
        latestUpdateDate
        action { reference title ownerOrganisation leadRole progressUpdates(first: 1) { nodes { recordedDate currentPosition nextSteps } } }
      }
      overdueEscalations { id issue raisedDate responseDueDate raisedBy raisedByOrganisation body { name } action { reference title } }
      nextMeetings { id heldDate title body { name } }
      nextReviews { id kind heldDate title conductedBy }
      familyVoiceThemes { theme count latestDate responded }
    }
    familyFeedback(first: 5) { nodes { id theme receivedDate youSaid weDid respondedDate } }
  }
`;
