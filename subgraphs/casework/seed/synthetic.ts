import { performance } from 'node:perf_hooks';
import type { EntityManager } from '@mikro-orm/postgresql';
import { linkKeyFor } from '../../toolkit/link-key';
import type { SeedOptions } from '../../toolkit/subgraph';
import { areaBlocks, type CaseworkHistory } from '../../toolkit/synthetic/casework-history';
import { insertInChunks } from '../../toolkit/synthetic/insert';
import { AnnualReview, Caseworker, Child, EhcNeedsAssessment, EhcnaRequest, EhcPlan, PlanPlacement, SenNeed, Team, WorkerAllocation } from '../entities';

/**
 * Loads the synthetic casework history (toolkit/synthetic/casework-history/) through today: the shared
 * population plus the former children the history needs, with every request,
 * assessment, plan, review and allocation. Streamed: each chunk of a few thousand
 * cases is drawn, inserted as plain rows (a thousand per insert) and let go, so
 * memory stays that of one block of the area whatever the scale. The measure
 * facts are rebuilt once at the end, in the same transaction.
 */
export async function seedCasework(em: EntityManager, options: SeedOptions): Promise<void> {
  const counts = { children: 0, requests: 0, assessments: 0, plans: 0, reviews: 0 };
  const started = performance.now();
  let loaded = started;
  await em.transactional(async (t) => {
    // One rebuild of the measure facts at the end instead of a refresh per inserted chunk (measures/facts.ts).
    await t.getConnection().execute(`SET LOCAL casework.defer_measure_facts = 'on'`, [], 'run', t.getTransactionContext());
    for (const block of areaBlocks(options)) {
      for (const h of block.chunks()) {
        await insertChunk(t, h, options);
        counts.children += h.children.length;
        counts.requests += h.requests.length;
        counts.assessments += h.assessments.length;
        counts.plans += h.plans.length;
        counts.reviews += h.reviews.length;
      }
    }
    loaded = performance.now();
    await t.getConnection().execute('SELECT casework_rebuild_measure_facts()', [], 'run', t.getTransactionContext());
    // Statistics for what was just loaded, so the first writes after seeding are planned for a full database.
    await t.getConnection().execute('ANALYZE child, worker_allocation, ehcna_request, ehc_needs_assessment, ehc_plan, annual_review, casework_child_measure_month, casework_measure_month', [], 'run', t.getTransactionContext());
  });
  options.log(`casework: ${counts.children} children, ${counts.requests} requests, ${counts.assessments} assessments, ${counts.plans} EHC plans, ${counts.reviews} annual reviews (drawn and inserted in ${seconds(loaded - started)} s, measure facts and statistics in ${seconds(performance.now() - loaded)} s)`);
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);

/** Inserts one chunk of the history; a case's records and its child are in the same chunk. */
async function insertChunk(t: EntityManager, h: CaseworkHistory, options: SeedOptions): Promise<void> {
  const draftOf = new Map(h.plans.map((p) => [p.assessmentId, p.draftIssueDate]));
  const currentTeam = new Map<string, string>();
  for (const a of h.allocations) if (!a.endDate && a.teamId) currentTeam.set(a.childId, a.teamId);
  await insertInChunks(t, Team, h.teams.map((x) => ({ ...x })));
  await insertInChunks(t, Caseworker, h.caseworkers.map((x) => ({ id: x.id, name: x.name, team: x.teamId })));
  await insertInChunks(
    t,
    Child,
    h.children.map((c) => ({
      id: c.id,
      linkKey: linkKeyFor(c.nhsNumber, options.linkKeySecret),
      nhsNumber: c.nhsNumber,
      upn: c.upn,
      uln: c.uln,
      forename: c.forename,
      surname: c.surname,
      birthDate: c.birthDate,
      sex: c.sex,
      ethnicity: c.ethnicity,
      postcode: c.postcode,
      district: c.district,
      primaryNeed: c.primaryNeed,
      team: currentTeam.get(c.id) ?? null,
    })),
  );
  await insertInChunks(
    t,
    WorkerAllocation,
    h.allocations.map((a) => ({ id: a.id, child: a.childId, team: a.teamId, caseworker: a.caseworkerId, startDate: a.startDate, endDate: a.endDate, decidedBy: a.decidedBy, reason: a.reason, nextReviewDate: a.nextReviewDate })),
  );
  await insertInChunks(
    t,
    EhcnaRequest,
    h.requests.map((r) => ({ id: r.id, child: r.childId, receivedDate: r.receivedDate, source: r.source, outcome: r.outcome, outcomeDate: r.outcomeDate, mediation: r.mediation, tribunal: r.tribunal })),
  );
  await insertInChunks(
    t,
    EhcNeedsAssessment,
    h.assessments.map((a) => ({
      id: a.id,
      request: a.requestId,
      child: a.childId,
      outcome: a.outcome,
      outcomeDate: a.outcomeDate,
      draftPlanDate: draftOf.get(a.id) ?? null,
      week20Exception: a.week20Exception,
      exceptionReason: a.exceptionReason,
      mediation: false,
      tribunal: false,
      epAdviceAskedDate: a.epAdviceAskedDate,
      epAdviceReturnedDate: a.epAdviceReturnedDate,
      healthAdviceAskedDate: a.healthAdviceAskedDate,
      healthAdviceReturnedDate: a.healthAdviceReturnedDate,
      socialCareAdviceAskedDate: a.socialCareAdviceAskedDate,
      socialCareAdviceReturnedDate: a.socialCareAdviceReturnedDate,
    })),
  );
  await insertInChunks(
    t,
    EhcPlan,
    h.plans.map((p) => ({ id: p.id, child: p.childId, assessment: p.assessmentId, issueDate: p.issueDate, personalBudget: p.personalBudget, ceaseDate: p.ceaseDate, ceaseReason: p.ceaseReason })),
  );
  await insertInChunks(t, PlanPlacement, h.placements.map((p) => ({ id: p.id, plan: p.planId, rank: p.rank, urn: p.urn, ukprn: p.ukprn, senSetting: p.senSetting, senUnit: p.senUnit, resourcedProvision: p.resourcedProvision })));
  await insertInChunks(t, SenNeed, h.senNeeds.map((n) => ({ id: n.id, plan: n.planId, senType: n.senType, rank: n.rank })));
  await insertInChunks(t, AnnualReview, h.reviews.map((r) => ({ id: r.id, plan: r.planId, dueDate: r.dueDate, meetingDate: r.meetingDate, outcome: r.outcome, decisionDate: r.decisionDate })));
}
