import { Child } from './child';
import { EhcPlan } from './ehc-plan';

export { Child, EhcPlan };
export const entities = [Child, EhcPlan];
