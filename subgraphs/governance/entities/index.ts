import { CaseworkMeasureRef } from './casework-measure';
import { Kpi } from './kpi';
import { PriorityAction } from './priority-action';

export { CaseworkMeasureRef, Kpi, PriorityAction };
export const entities = [Kpi, PriorityAction];
