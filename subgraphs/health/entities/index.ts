import { Child } from './child';
import { Referral } from './referral';

export { Child, Referral };
/** Persisted entities (Child is a federation stub, not stored here). */
export const entities = [Referral];
