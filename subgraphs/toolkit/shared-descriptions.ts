/**
 * Descriptions of types that more than one subgraph declares. Composition wants
 * them identical; partner apps read them in the supergraph.
 */
export const DESCRIPTIONS = {
  child: 'A child or young person (0-25) with special educational needs and disabilities, known to the partnership.',
  linkKey: 'Pseudonymous cross-organisation key: an HMAC-SHA-256 of the NHS number under the partnership\'s secret. It is not the NHS number and cannot be turned back into one.',
  caseworkMeasure: 'A measure of the council\'s statutory SEND casework, computed live from its case records.',
  healthMeasure: 'A measure of the ICB\'s children\'s health services, computed live from referral records.',
  ehcNeedsAssessment: 'An EHC needs assessment: the council\'s statutory assessment of a child\'s education, health and care needs, following a request for assessment.',
} as const;
