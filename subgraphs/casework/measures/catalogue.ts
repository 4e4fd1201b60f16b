import type { MeasureDefinition } from '../../toolkit/measures/engine';
import { MeasureCatalogue } from '../../toolkit/measures/series';

/** Restricts a measure to children matching the optional :district filter. */
const childFilter = `(CAST(:district AS text) IS NULL OR c.district = CAST(:district AS text))`;

const definitions: MeasureDefinition[] = [
  {
    code: 'PLANS_ACTIVE',
    name: 'Active EHC plans',
    description: 'EHC plans issued on or before the last day of the period and not ceased by then.',
    unit: 'COUNT',
    kind: 'COUNT',
    sql: `SELECT count(*) AS numerator, NULL AS denominator
      FROM ehc_plan e JOIN child c ON c.id = e.child_id
      WHERE e.issue_date <= p.period_end AND (e.cease_date IS NULL OR e.cease_date > p.period_end) AND ${childFilter}`,
  },
];

export const caseworkCatalogue = new MeasureCatalogue(definitions, ['district']);
