import { EhcNeedsAssessment } from './assessment';
import { Child } from './child';
import { HealthAdvice } from './health-advice';
import { Referral } from './referral';
import { HealthService } from './service';
import { SpaceAttendance, SpaceCohort, SpaceEnrolment } from './space';

export * from './enums';
export { Child, EhcNeedsAssessment, HealthAdvice, HealthService, Referral, SpaceAttendance, SpaceCohort, SpaceEnrolment };
/** Persisted entities (Child and EhcNeedsAssessment are federation stubs, not stored here). */
export const entities = [HealthService, Referral, HealthAdvice, SpaceCohort, SpaceEnrolment, SpaceAttendance];
