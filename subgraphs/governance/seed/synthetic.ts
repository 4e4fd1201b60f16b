// Over 300 lines: the partnership's governance history as one timeline (boards, actions, milestones, updates, escalations, feedback) that must agree with itself date by date.
import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays } from '../../toolkit/dates';
import { Interval } from '../../toolkit/measures/periods';
import type { SeedOptions } from '../../toolkit/subgraph';
import { STATISTICAL_NEIGHBOURS } from '../area';
import { Escalation, FamilyFeedback, GovernanceBody, Kpi, Meeting, Milestone, PapArea, PriorityAction, PriorityActionKpi, ProgressUpdate, Review, ReviewFinding } from '../entities';
import { ActionStatusValue, DirectionValue, EscalationStatus, FeedbackSource, FindingKind, Organisation, ReviewKind } from '../entities/enums';

/**
 * The partnership's governance as the seeds describe it: the Improvement Board
 * (every six weeks, independent chair, until March 2026), the quarterly SEND
 * Executive Leadership Group and the Partnership Assurance and Improvement Group
 * from April 2026, the 9 February 2026 meeting, the 12 January 2024 stocktake
 * findings, and a Priority Action Plan with KPIs over the casework and health
 * measures. Dates from the seed documents are fixed; the history runs up to
 * SEED_TODAY like casework's and health's, and nothing is recorded after it
 * (a meeting after it is scheduled, not held; an update, a completion, an
 * escalation or feedback dated after it does not exist yet).
 *
 * Targets and trajectories are in the synthetic population's own units, read
 * from the figures it produces (`node dist/bench/kpi-history.js` prints them):
 * counts are Nottinghamshire-sized at SEED_SCALE 1 and scale with it; rates are
 * the partnership's ambition, so each KPI is met or missed for a reason the
 * figures show. Milestones that a KPI measures are tied to it with a threshold
 * (rules/milestones.ts), so they are met or missed by the live readings.
 */
const Q = (y: number, q: number) => `${y}-${['03-31', '06-30', '09-30', '12-31'][q - 1]}`;
const monthEnd = (y: number, m: number) => addDays(`${m === 12 ? y + 1 : y}-${String(m === 12 ? 1 : m + 1).padStart(2, '0')}-01`, -1);

/** A straight line from `from` to `to` over periods ending at each of `ends`. */
function line(ends: string[], from: number, to: number): Array<{ periodEnd: string; value: number }> {
  return ends.map((periodEnd, i) => ({ periodEnd, value: Math.round((from + ((to - from) * (i + 1)) / ends.length) * 10) / 10 }));
}
const quarters = (fromY: number, fromQ: number, toY: number, toQ: number) => {
  const out: string[] = [];
  for (let y = fromY, q = fromQ; y < toY || (y === toY && q <= toQ); q === 4 ? ((q = 1), y++) : q++) out.push(Q(y, q));
  return out;
};
const months = (fromY: number, fromM: number, toY: number, toM: number) => {
  const out: string[] = [];
  for (let y = fromY, m = fromM; y < toY || (y === toY && m <= toM); m === 12 ? ((m = 1), y++) : m++) out.push(monthEnd(y, m));
  return out;
};

/** Statistical neighbours of Nottinghamshire (old LA codes): Derbyshire, Staffordshire, Leicestershire, Worcestershire, Warwickshire, Lancashire. */
const NEIGHBOURS = [...STATISTICAL_NEIGHBOURS];

export async function seedGovernance(em: EntityManager, options: SeedOptions): Promise<void> {
  const today = options.today;
  /** A count in the synthetic population's units at this scale (Nottinghamshire-sized at 1). */
  const n = (v: number) => Math.round(v * options.scale);
  await em.transactional(async (tx) => {
    // ---- bodies ----
    const spib = tx.create(GovernanceBody, {
      code: 'SPIB', name: 'SEND Partnership Improvement Board', cadence: 'Every six weeks', chair: 'Dame Christine Lenehan (independent chair)',
      purpose: 'To robustly track, monitor and oversee the Nottinghamshire SEND Improvement Programme so that its aims are achieved at pace, and to provide challenge and support. Set up, time-limited, after the 2023 area SEND inspection.',
      startDate: '2023-06-01', endDate: '2026-03-31', published: true,
    });
    const selg = tx.create(GovernanceBody, {
      code: 'SELG', name: 'SEND Executive Leadership Group', cadence: 'Quarterly', chair: null,
      purpose: 'Shared executive accountability of the council and the ICB for SEND from April 2026: the priority actions and wider improvement (gaps, waiting times and quality; workforce and systems; transitions; inclusive practice), hearing the voices of families.',
      startDate: '2026-04-01', endDate: null, published: true,
    });
    const paig = tx.create(GovernanceBody, {
      code: 'PAIG', name: 'Partnership Assurance and Improvement Group', cadence: 'Quarterly, ahead of each SEND Executive Leadership Group', chair: null,
      purpose: 'Supports the SEND Executive Leadership Group: assurance of performance and of the Priority Action Plan, with independent review.',
      startDate: '2026-04-01', endDate: null, published: true,
    });

    // ---- meetings: the Board every six weeks back from 9 February 2026 ----
    const feb = '2026-02-09';
    const held = (on: string) => on <= today;
    for (let k = 22; k >= 1; k--) {
      const heldDate = addDays(feb, -42 * k);
      if (heldDate < spib.startDate) continue;
      tx.create(Meeting, {
        body: spib, heldDate, title: `Improvement Board, ${heldDate.slice(0, 7)}`, focusTopics: ['Priority Action Plan progress', 'Performance'],
        attendance: held(heldDate) ? [{ organisation: 'LA', count: 6 }, { organisation: 'ICB', count: 4 }, { organisation: 'Parent carer forum', count: 2 }] : [],
        discussion: held(heldDate) ? ['The Board reviewed the Priority Action Plan from the live dashboard: each action\'s status by the written rule, with its reasons, and the KPIs against their trajectories.'] : [],
        decisions: [], actionsArising: [], published: true,
      });
    }
    // What was said at a meeting exists only once it has been held.
    const ifHeld = <T>(on: string, content: T[]): T[] => (held(on) ? content : []);
    tx.create(Meeting, {
      body: spib, heldDate: feb, title: 'Improvement Board, February 2026',
      focusTopics: ['the new statutory SEND service structure', 'SEND reform', 'the governance structure'],
      attendance: ifHeld(feb, [
        { organisation: 'LA', count: 7 }, { organisation: 'ICB', count: 4 }, { organisation: 'Parent carer forum', count: 2 },
        { organisation: 'Schools', count: 2 }, { organisation: 'DfE SEND adviser', count: 1 }, { organisation: 'NHS England SEND adviser', count: 1 },
      ]),
      discussion: ifHeld(feb, [
        'Governance: the Board was set up as a time-limited board after the 2023 inspection. From April 2026, quarterly meetings of the SEND Executive Leadership Group will be supported by the Partnership Assurance and Improvement Group, with a continued focus on the priority actions and the wider areas of improvement. Partners are agreeing governance structures with independent review. The Department for Education will carry out a stocktake in the summer term.',
        'The new statutory SEND service: formally launched and operational; a system-wide briefing reached more than 100 professionals; fully staffed apart from two advanced practitioner posts being re-advertised; records for 7,500 children transferred into MOSAIC; meet-the-team sessions held online for parents.',
        'Plans without an allocated worker: the plan and review teams are trialling, for children whose plan is working well, not having an allocated worker; anyone who needs one will have one. Parents are anxious about the change and said sessions were offered at too short notice, but are willing to try it. Schools need to be part of the approach.',
        'Performance: assessment times have dropped recently; the new focused assessment team and further educational psychology funding will give this more attention. Annual review levels have also dropped; the plan and review team, Invision 360 and the Rise programme will focus on them. Requests for assessment continue to grow.',
        'Chief executives: the chief executives of the council and the ICB meet regularly and hold shared accountability for SEND reform, asking where we are, what is being done and what still needs to be done.',
        'Communications: a case study of the SPACE programme (Supportive Parenting for Anxious Childhood Emotions), run by the North Nottinghamshire CAMHS team since 2024, mostly in groups, which parents identified as a strength.',
      ]),
      decisions: ifHeld(feb, [
        'From April 2026 the SEND Executive Leadership Group (quarterly) and the Partnership Assurance and Improvement Group replace the Improvement Board.',
        'The trial of plans without an allocated worker continues, kept under regular review, with anyone who needs a worker assigned one.',
        'The final Improvement Board meets on Wednesday 18 March 2026.',
      ]),
      actionsArising: ifHeld(feb, [
        { description: 'Give parents more notice of engagement sessions and explain clearly how plans without an allocated worker work.', owner: 'LA: Service Director, SEND', dueDate: '2026-03-18' },
        { description: 'Set out how schools join the new statutory SEND service approach.', owner: 'LA: Group Manager, SEND statutory service', dueDate: '2026-03-18' },
        { description: 'Agree the governance structure with independent review for April 2026.', owner: 'JOINT: chief executives', dueDate: '2026-03-31' },
      ]),
      published: true,
    });
    tx.create(Meeting, {
      body: spib, heldDate: '2026-03-18', title: 'Improvement Board, March 2026 (final meeting)', focusTopics: ['Handover to the new governance', 'Priority Action Plan position'],
      attendance: ifHeld('2026-03-18', [{ organisation: 'LA', count: 7 }, { organisation: 'ICB', count: 5 }, { organisation: 'Parent carer forum', count: 2 }]),
      discussion: ifHeld('2026-03-18', ['The Board handed the Priority Action Plan to the SEND Executive Leadership Group and the Partnership Assurance and Improvement Group, with each action\'s position and next steps.']),
      decisions: ifHeld('2026-03-18', ['Terms of reference of the SEND Executive Leadership Group and the Partnership Assurance and Improvement Group agreed, with independent review.']),
      actionsArising: [], published: true,
    });
    // From April 2026 the quarterly SEND Executive Leadership Group, each supported by the
    // Partnership Assurance and Improvement Group two weeks before; scheduled at least six months past today.
    const selgDates = ['2026-04-22', '2026-07-15', '2026-10-14', '2027-01-13'];
    while (selgDates[selgDates.length - 1] < addDays(today, 182)) selgDates.push(addDays(selgDates[selgDates.length - 1], 91));
    for (const [i, selgOn] of selgDates.entries()) {
      const quarter = `Q${i + 1}`;
      const paigOn = addDays(selgOn, -14);
      tx.create(Meeting, {
        body: paig, heldDate: paigOn, title: `Partnership Assurance and Improvement Group, ${quarter}`, focusTopics: ['Performance assurance', 'Priority Action Plan'],
        attendance: ifHeld(paigOn, [{ organisation: 'LA', count: 5 }, { organisation: 'ICB', count: 4 }, { organisation: 'Parent carer forum', count: 2 }, { organisation: 'Independent reviewer', count: 1 }]),
        discussion: ifHeld(paigOn, ['Assurance of performance: every KPI against its trajectory, and every Priority Action Plan action at risk or off track, with the lead\'s current position and next steps.']),
        decisions: ifHeld(paigOn, ['Actions at risk or off track, with their reasons, go to the SEND Executive Leadership Group.']),
        actionsArising: [], published: true,
      });
      tx.create(Meeting, {
        body: selg, heldDate: selgOn, title: `SEND Executive Leadership Group, ${quarter}`, focusTopics: ['Shared accountability', 'Family voice'],
        attendance: ifHeld(selgOn, [{ organisation: 'LA', count: 4 }, { organisation: 'ICB', count: 4 }, { organisation: 'Parent carer forum', count: 2 }]),
        discussion: ifHeld(selgOn, ['The chief executives asked of each action at risk or off track where we are, what is being done and what still needs to be done; families\' feedback since the last meeting was heard.']),
        decisions: [], actionsArising: [], published: true,
      });
    }

    // ---- KPIs (targets only: values come live from casework and health) ----
    const kpi = (k: Partial<Kpi> & Pick<Kpi, 'name' | 'measureCode' | 'ownerOrganisation' | 'interval' | 'direction' | 'amberTolerance'>) =>
      tx.create(Kpi, { trajectory: [], statisticalNeighbours: [], published: true, ...k });
    const k20 = kpi({
      name: 'EHC plans issued within 20 weeks (excluding exceptions)', measureCode: 'EHC_20WK_EXCL', ownerOrganisation: Organisation.LA, interval: Interval.QUARTER,
      baseline: 4.5, baselinePeriod: '2022 calendar year (at the inspection)', target: 50, targetDate: '2026-12-31', direction: DirectionValue.HIGHER_IS_BETTER, amberTolerance: 5,
      trajectory: line(quarters(2024, 1, 2026, 4), 28, 50), statisticalNeighbours: NEIGHBOURS,
    });
    const k20i = kpi({
      name: 'EHC plans issued within 20 weeks (including exceptions)', measureCode: 'EHC_20WK_INCL', ownerOrganisation: Organisation.LA, interval: Interval.QUARTER,
      baseline: 4.5, baselinePeriod: '2022 calendar year', target: 48, targetDate: '2026-12-31', direction: DirectionValue.HIGHER_IS_BETTER, amberTolerance: 5,
      trajectory: line(quarters(2024, 1, 2026, 4), 26, 48), statisticalNeighbours: NEIGHBOURS, published: false,
    });
    const kMean = kpi({ name: 'Mean weeks from request to final EHC plan', measureCode: 'EHC_MEAN_WEEKS', ownerOrganisation: Organisation.LA, interval: Interval.QUARTER, baseline: 36.8, baselinePeriod: 'January 2023', target: 20, targetDate: '2026-12-31', direction: DirectionValue.LOWER_IS_BETTER, amberTolerance: 2, trajectory: line(quarters(2024, 1, 2026, 4), 28.3, 20) });
    const kDecide = kpi({ name: 'Decisions to assess within 6 weeks', measureCode: 'EHCNA_DECISION_6WK', ownerOrganisation: Organisation.LA, interval: Interval.MONTH, target: 90, targetDate: '2026-09-30', direction: DirectionValue.HIGHER_IS_BETTER, amberTolerance: 10, trajectory: line(months(2025, 4, 2026, 9), 60, 90) });
    // The service is resourced for about 150 requests a month at Nottinghamshire's size: more is a pressure on every timescale.
    const kRequests = kpi({ name: 'Requests for EHC needs assessment received, against the 150 a month the service is resourced for', measureCode: 'EHCNA_REQUESTS', ownerOrganisation: Organisation.LA, interval: Interval.MONTH, direction: DirectionValue.LOWER_IS_BETTER, amberTolerance: n(20), target: null, trajectory: months(2025, 4, 2027, 3).map((periodEnd) => ({ periodEnd, value: n(150) })) });
    const kEp = kpi({ name: 'Educational psychology advice within 6 weeks', measureCode: 'EP_ADVICE_6WK', ownerOrganisation: Organisation.LA, interval: Interval.MONTH, baseline: 60, baselinePeriod: 'April 2025', target: 80, targetDate: '2026-12-31', direction: DirectionValue.HIGHER_IS_BETTER, amberTolerance: 10, trajectory: line(months(2025, 4, 2026, 12), 60, 80) });
    const kAr = kpi({ name: 'Annual review decisions within 4 weeks of the meeting', measureCode: 'AR_DECISION_4WK', ownerOrganisation: Organisation.LA, interval: Interval.QUARTER, baseline: 58.5, baselinePeriod: 'October to December 2024', target: 80, targetDate: '2026-12-31', direction: DirectionValue.HIGHER_IS_BETTER, amberTolerance: 10, trajectory: line(quarters(2025, 1, 2026, 4), 65, 80), statisticalNeighbours: NEIGHBOURS });
    const kArOver = kpi({ name: 'Annual reviews overdue', measureCode: 'AR_OVERDUE', ownerOrganisation: Organisation.LA, interval: Interval.MONTH, baseline: n(480), baselinePeriod: 'December 2025 (after the MOSAIC transfer)', direction: DirectionValue.LOWER_IS_BETTER, amberTolerance: n(40), trajectory: line(months(2026, 1, 2026, 12), n(480), n(300)), target: n(300), targetDate: '2026-12-31' });
    const kPlans = kpi({ name: 'Active EHC plans against the caseload the service is resourced for', measureCode: 'PLANS_ACTIVE', ownerOrganisation: Organisation.LA, interval: Interval.MONTH, baseline: n(4400), baselinePeriod: 'January 2024', direction: DirectionValue.LOWER_IS_BETTER, amberTolerance: n(250), target: null, trajectory: line(months(2024, 1, 2026, 12), n(4400), n(7400)), statisticalNeighbours: NEIGHBOURS });
    const kNoWorker = kpi({ name: 'Plans without an allocated worker (trial)', measureCode: 'PLANS_NO_ALLOCATED_WORKER', ownerOrganisation: Organisation.LA, interval: Interval.MONTH, direction: DirectionValue.LOWER_IS_BETTER, amberTolerance: n(200), target: n(2000), published: false });
    const kAdvice = kpi({ name: 'Health advice for EHC needs assessments within 6 weeks', measureCode: 'HEALTH_ADVICE_6WK_PCT', ownerOrganisation: Organisation.ICB, interval: Interval.MONTH, baseline: 67, baselinePeriod: 'January 2025', target: 90, targetDate: '2027-03-31', direction: DirectionValue.HIGHER_IS_BETTER, amberTolerance: 10, trajectory: line(months(2025, 4, 2027, 3), 67, 90) });
    const kWait = kpi({ name: 'Children waiting over 18 weeks for community health services', measureCode: 'WAITING_OVER_18WK_PCT', ownerOrganisation: Organisation.ICB, interval: Interval.MONTH, baseline: 52, baselinePeriod: 'April 2025', target: 35, targetDate: '2027-03-31', direction: DirectionValue.LOWER_IS_BETTER, amberTolerance: 5, trajectory: line(months(2025, 4, 2027, 3), 52, 35) });
    const kNd = kpi({ name: 'Neurodevelopmental assessment referrals open over 13 weeks', measureCode: 'ND_WAITING_OVER_13WK_PCT', ownerOrganisation: Organisation.ICB, interval: Interval.MONTH, baseline: 80, baselinePeriod: 'April 2026, before the additional capacity', target: 65, targetDate: '2027-03-31', direction: DirectionValue.LOWER_IS_BETTER, amberTolerance: 5, trajectory: line(months(2026, 4, 2027, 3), 82, 65) });
    const kFirst = kpi({ name: 'Median weeks from referral to first contact', measureCode: 'FIRST_CONTACT_MEDIAN_WEEKS', ownerOrganisation: Organisation.ICB, interval: Interval.MONTH, baseline: 15.5, baselinePeriod: 'March 2026', target: 13, targetDate: '2027-03-31', direction: DirectionValue.LOWER_IS_BETTER, amberTolerance: 2, trajectory: line(months(2026, 4, 2027, 3), 15.5, 13) });
    // The synthetic population holds SEND children only: the ambition is for them, not all children in the county.
    const kMh = kpi({ name: 'Children and young people with SEND accessing mental health services (rolling 12 months)', measureCode: 'CYP_MH_ACCESS', ownerOrganisation: Organisation.ICB, interval: Interval.MONTH, baseline: n(339), baselinePeriod: 'April 2025', direction: DirectionValue.HIGHER_IS_BETTER, amberTolerance: n(20), target: n(420), targetDate: '2027-03-31', trajectory: line(months(2025, 4, 2027, 3), n(339), n(420)) });
    const kSpace = kpi({ name: 'SPACE: families completing the programme', measureCode: 'SPACE_COMPLETION_PCT', ownerOrganisation: Organisation.ICB, interval: Interval.QUARTER, target: 75, direction: DirectionValue.HIGHER_IS_BETTER, amberTolerance: 10 });
    const kSpaceIn = kpi({ name: 'SPACE: families enrolled', measureCode: 'SPACE_FAMILIES_ENROLLED', ownerOrganisation: Organisation.ICB, interval: Interval.QUARTER, direction: DirectionValue.HIGHER_IS_BETTER, amberTolerance: n(10), target: n(60), targetDate: '2027-03-31', trajectory: line(quarters(2026, 2, 2027, 1), n(45), n(60)) });
    kpi({ name: 'SPACE: mean change in family accommodation (FASA)', measureCode: 'SPACE_FASA_MEAN_CHANGE', ownerOrganisation: Organisation.ICB, interval: Interval.QUARTER, direction: DirectionValue.LOWER_IS_BETTER, amberTolerance: 2, target: -5 });
    kpi({ name: 'Children waiting for community health services', measureCode: 'WAITING_COUNT', ownerOrganisation: Organisation.ICB, interval: Interval.MONTH, direction: DirectionValue.LOWER_IS_BETTER, amberTolerance: n(50), target: null, published: false });

    // ---- the Priority Action Plan ----
    const apa1 = tx.create(PapArea, { reference: 'APA-1', title: 'Timeliness and quality of EHC needs assessments, plans and annual reviews', description: 'Leaders must improve the timeliness of EHC needs assessments and plans, including the advice from education, health and care that informs them, and the timeliness of annual reviews, so that children\'s needs are identified and met without delay.', published: true });
    const apa2 = tx.create(PapArea, { reference: 'APA-2', title: 'Waiting times for health services', description: 'Leaders across the ICB must reduce waiting times for speech and language therapy, neurodevelopmental assessment and mental health support, and support families while they wait.', published: true });
    const wai1 = tx.create(PapArea, { reference: 'WAI-1', title: 'Communication and co-production with families', description: 'Consistent communication with families and the workforce about progress and plans; co-production with the parent carer forum and young people.', published: true });
    const wai2 = tx.create(PapArea, { reference: 'WAI-2', title: 'Governance, oversight and escalation', description: 'Governance and reporting that give robust oversight, monitoring and responsiveness to escalation, with a clear meaning of "at risk".', published: true });

    type ActionSeed = {
      area: PapArea; reference: string; title: string; ownerOrganisation: Organisation; leadRole: string; startDate: string; kpis: Kpi[];
      /** [title, due, completed (null: not yet), the KPI and threshold that meet it]; a completion after today is not recorded yet. */
      milestones: Array<[string, string, string | null, { kpi: Kpi; threshold: number; from?: string }?]>; updates: Array<[string, string, string]>; published?: boolean;
      override?: { status: ActionStatusValue; reason: string; expiryDate: string };
      /** Days between the lead's progress updates after the seed documents' own: the PAIG asks for one a month. */
      updateEvery?: number;
    };
    const actions: ActionSeed[] = [
      { area: apa1, reference: 'PAP-1.1', title: 'Issue EHC plans within 20 weeks: more than the national average (46-50%) by the end of 2026.', ownerOrganisation: Organisation.LA, leadRole: 'Service Director, SEND', startDate: '2023-09-01', kpis: [k20, k20i, kMean],
        milestones: [['Increase assessment resource (additional assessment coordinators)', '2023-12-31', '2023-12-15'], ['Focused assessment team in post', '2026-01-31', '2026-01-26'], ['28% within 20 weeks (calendar year 2024)', '2024-12-31', '2025-01-20'], ['46% within 20 weeks in a quarter', '2026-06-30', null, { kpi: k20, threshold: 46 }], ['Above the national average for calendar year 2026 in DfE\'s published figures', '2027-06-30', '2027-06-26']],
        updates: [['2025-12-15', 'Timeliness fell in the autumn as requests grew; the focused assessment team is recruiting.', 'Team in post by end of January; weekly tracking of every assessment past week 14.'], ['2026-02-02', 'Focused assessment team in post since 26 January. Assessment times have dropped recently; further funding for educational psychology capacity agreed.', 'Clear the backlog of assessments past 20 weeks by the end of March; report weekly to the Service Director.']] },
      { area: apa1, reference: 'PAP-1.2', title: 'Educational psychology advice within 6 weeks of the request.', ownerOrganisation: Organisation.LA, leadRole: 'Principal Educational Psychologist', startDate: '2024-01-08', kpis: [kEp],
        milestones: [['Commission additional EP capacity', '2025-10-31', '2025-11-14'], ['80% of advice within 6 weeks in a month', '2026-02-28', null, { kpi: kEp, threshold: 80, from: '2026-01-01' }]],
        updates: [['2025-11-20', 'Additional capacity commissioned from two locum providers.', 'Locums start in January; monitor returns monthly.']] },
      { area: apa1, reference: 'PAP-1.3', title: 'Annual reviews: every plan reviewed within 12 months and the decision notified within 4 weeks.', ownerOrganisation: Organisation.LA, leadRole: 'Group Manager, Plan and Review', startDate: '2024-04-01', kpis: [kAr, kArOver],
        milestones: [['Invision 360 live for annual reviews', '2025-09-30', '2025-09-22'], ['Rise programme training for plan and review officers', '2026-03-31', '2026-04-17'], [`Overdue annual reviews below ${n(350)}`, '2026-06-30', null, { kpi: kArOver, threshold: n(350), from: '2026-01-01' }], ['80% of review decisions within 4 weeks in a quarter', '2026-12-31', null, { kpi: kAr, threshold: 80 }]],
        updates: [['2026-01-26', 'Annual review levels have dropped. The new plan and review team is focusing on the overdue reviews; Invision 360 is live.', 'Rise programme training by the end of March; weekly overdue list to team managers.']] },
      { area: apa1, reference: 'PAP-1.4', title: 'Decide whether to assess within 6 weeks of every request.', ownerOrganisation: Organisation.LA, leadRole: 'Group Manager, SEND Assessment', startDate: '2024-04-01', kpis: [kDecide, kRequests],
        milestones: [['Daily triage of new requests', '2025-06-30', '2025-06-02'], ['Multi-agency decision panel twice weekly', '2025-12-31', '2026-01-09'], ['90% of decisions within 6 weeks in a month', '2026-09-30', null, { kpi: kDecide, threshold: 90, from: '2026-01-01' }]],
        updates: [['2025-11-03', 'Panel moving to twice weekly from January.', 'Measure decisions within 6 weeks monthly; report to the Board in February.']] },
      { area: apa1, reference: 'PAP-1.5', title: 'Trial plans without an allocated worker where the plan is working well, with a worker assigned to anyone who needs one.', ownerOrganisation: Organisation.LA, leadRole: 'Service Director, SEND', startDate: '2026-01-05', kpis: [kNoWorker, kPlans], published: false,
        milestones: [['Meet-the-team sessions for parents', '2026-01-31', '2026-01-29'], ['Review of the trial with the parent carer forum', '2026-05-31', '2026-05-27'], ['Decision on the trial at the SEND Executive Leadership Group', '2026-07-15', '2026-07-15']],
        updates: [['2026-02-09', 'Trial under way. Parents are anxious and said sessions came at too short notice but are willing to try it.', 'Longer notice for sessions; FAQ co-produced with the parent carer forum; review in May.']] },
      { area: apa2, reference: 'PAP-2.1', title: 'Health advice for EHC needs assessments within 6 weeks.', ownerOrganisation: Organisation.ICB, leadRole: 'Designated Clinical Officer', startDate: '2023-09-01', kpis: [kAdvice],
        milestones: [['Single point of contact for health advice requests', '2024-06-30', '2024-06-10'], ['75% within 6 weeks in a month', '2026-06-30', null, { kpi: kAdvice, threshold: 75, from: '2026-01-01' }], ['90% within 6 weeks in a month', '2027-03-31', null, { kpi: kAdvice, threshold: 90, from: '2026-07-01' }]],
        updates: [['2026-01-30', 'Most advice returned within 6 weeks; paediatrics is the slowest.', 'Paediatric advice clinic slots protected from March.']] },
      { area: apa2, reference: 'PAP-2.2', title: 'Reduce waits for neurodevelopmental (autism and ADHD) assessment and support families while they wait.', ownerOrganisation: Organisation.ICB, leadRole: 'Head of Children\'s Commissioning, ICB', startDate: '2023-09-01', kpis: [kNd, kFirst],
        milestones: [['Waiting well offer published', '2024-09-30', '2024-10-15'], ['Additional assessment capacity commissioned', '2025-12-31', '2026-02-24'], ['Additional assessment clinics running', '2026-06-30', '2026-07-06'], ['Below 70% of referrals open over 13 weeks', '2027-03-31', null, { kpi: kNd, threshold: 70, from: '2026-07-01' }]],
        updates: [['2025-11-28', 'Procurement for additional assessment capacity delayed.', 'Contract award expected in February.']],
        override: { status: ActionStatusValue.AT_RISK, reason: 'Board accepted the revised procurement timetable; contract award confirmed for February 2026.', expiryDate: '2026-03-18' } },
      { area: apa2, reference: 'PAP-2.3', title: 'Reduce the share of children waiting over 18 weeks for speech and language therapy, occupational therapy and community paediatrics.', ownerOrganisation: Organisation.ICB, leadRole: 'Director of Community Services, Nottinghamshire Healthcare', startDate: '2024-01-08', kpis: [kWait, kMh],
        milestones: [['Validation of community waiting lists', '2025-03-31', '2025-03-28'], ['Below 45% waiting over 18 weeks', '2026-09-30', null, { kpi: kWait, threshold: 45, from: '2026-01-01' }]],
        updates: [['2026-01-19', 'Waiting lists validated; SALT waits improving, OT waits rising.', 'OT recruitment; group therapy offer for families on the waiting list.']] },
      { area: apa2, reference: 'PAP-2.4', title: 'SPACE parent programme for children with anxiety: extend from North Nottinghamshire across the county.', ownerOrganisation: Organisation.ICB, leadRole: 'CAMHS Service Manager, North Nottinghamshire', startDate: '2024-04-01', kpis: [kSpace, kSpaceIn],
        milestones: [['Group programme running in North Nottinghamshire', '2024-09-30', '2024-09-16'], ['Business case for county-wide roll-out', '2026-04-30', '2026-04-22'], ['SPACE groups running in south Nottinghamshire', '2026-12-31', '2027-01-20']],
        updates: [['2026-02-02', 'Families praise the groups; some one-to-one sessions so all needs are met.', 'Business case to the SEND Executive Leadership Group in April.']] },
      { area: wai1, reference: 'PAP-3.1', title: 'Consistent communication with families and the workforce about progress and plans ("you said, we did").', ownerOrganisation: Organisation.JOINT, leadRole: 'Head of Communications (council and ICB)', startDate: '2024-03-01', kpis: [], updateEvery: 56,
        milestones: [['Partner briefing after every Board meeting', '2024-06-30', '2024-06-28'], ['"You said, we did" page refreshed quarterly', '2026-03-31', '2026-03-24'], ['Family newsletter after every SEND Executive Leadership Group', '2026-10-31', '2026-10-21'], ['Co-production survey of families published', '2027-01-31', '2027-01-27']],
        updates: [['2025-12-01', 'Partner briefings published after every Board meeting.', 'Refresh "you said, we did" after the February Board.']] },
      { area: wai2, reference: 'PAP-4.1', title: 'Governance with robust oversight and escalation, and progress reports that give the current position and next steps.', ownerOrganisation: Organisation.JOINT, leadRole: 'SEND Programme Lead', startDate: '2024-02-27', kpis: [],
        milestones: [['Written meaning of "at risk" for PAP actions agreed', '2024-04-30', '2024-04-24'], ['Governance from April 2026 agreed', '2026-03-31', '2026-03-18'], ['Independent review of the new governance after its first year', '2027-04-30', '2027-05-12']],
        updates: [['2026-02-09', 'The Board agreed the SEND Executive Leadership Group and the Partnership Assurance and Improvement Group from April 2026.', 'Terms of reference and independent review arrangements to the final Board on 18 March.']] },
    ];
    /**
     * The lead's progress updates after the seed documents' own, up to today: the
     * position in the milestones' words (what is done by then, what comes next), the
     * KPI-measured ones named with their threshold, since their readings decide them.
     */
    const laterUpdates = (a: ActionSeed): Array<[string, string, string]> => {
      const every = a.updateEvery ?? 28;
      const out: Array<[string, string, string]> = [];
      const last = a.updates.reduce((m, [on]) => (on > m ? on : m), a.startDate);
      for (let on = addDays(last, every); on <= today; on = addDays(on, every)) {
        const recorded = a.milestones.filter(([, , done, tie]) => !tie && done && done <= on);
        const measured = a.milestones.filter(([, , , tie]) => tie);
        const open = a.milestones.filter(([, due, done, tie]) => !tie && !(done && done <= on) && due >= addDays(on, -90)).sort((x, y) => x[1].localeCompare(y[1]));
        const kpis = a.kpis.map((k) => `"${k.name}"`).join(', ');
        const position = [
          `${recorded.length} of ${a.milestones.length - measured.length} milestones recorded complete${recorded.length ? ` (latest: "${recorded.sort((x, y) => x[2]!.localeCompare(y[2]!))[recorded.length - 1][0]}")` : ''}.`,
          ...(measured.length ? [`Measured by the live figures: ${measured.map(([t, due]) => `"${t}" (due ${due})`).join('; ')}.`] : []),
          ...(kpis ? [`KPIs reported to the Partnership Assurance and Improvement Group: ${kpis}.`] : []),
        ].join(' ');
        const next = open.length ? `Next: "${open[0][0]}", due ${open[0][1]}.` : measured.length ? `Keep the KPIs on trajectory until ${measured.map(([t]) => `"${t}"`).join(' and ')} ${measured.length > 1 ? 'are' : 'is'} met; report to the SEND Executive Leadership Group.` : 'Sustain the changes and report to the SEND Executive Leadership Group.';
        out.push([on, position, next]);
      }
      return out;
    };
    const byRef = new Map<string, PriorityAction>();
    for (const a of actions) {
      const action = tx.create(PriorityAction, {
        area: a.area, reference: a.reference, title: a.title, ownerOrganisation: a.ownerOrganisation, leadRole: a.leadRole, startDate: a.startDate, published: a.published ?? true,
        overrideStatus: a.override?.status ?? null, overrideReason: a.override?.reason ?? null, overrideExpiryDate: a.override?.expiryDate ?? null,
      });
      byRef.set(a.reference, action);
      for (const k of a.kpis) tx.create(PriorityActionKpi, { action, kpi: k });
      for (const [title, dueDate, completedDate, tie] of a.milestones) {
        tx.create(Milestone, { action, title, dueDate, completedDate: tie || !completedDate || completedDate > today ? null : completedDate, kpi: tie?.kpi ?? null, threshold: tie?.threshold ?? null, measuredFrom: tie?.from ?? null });
      }
      for (const [recordedDate, currentPosition, nextSteps] of [...a.updates, ...laterUpdates(a)]) {
        if (recordedDate <= today) tx.create(ProgressUpdate, { action, recordedDate, currentPosition, nextSteps, recordedBy: a.leadRole });
      }
    }

    // ---- stocktakes and deep dives ----
    const jan = tx.create(Review, { kind: ReviewKind.STOCKTAKE, heldDate: '2024-01-12', conductedBy: 'DfE Regions Group (East Midlands) with NHS England (unable to attend on the day)', title: 'DfE and NHS England stocktake of the Priority Action Plan', published: true });
    const findings: Array<[FindingKind, string, string[]]> = [
      [FindingKind.STRENGTH, 'Clear senior corporate interest and engagement: regular meetings between the local authority and the ICB at chief executive level, and two children-focused cabinet members.', ['PAP-4.1']],
      [FindingKind.STRENGTH, 'A strong sense of partnership, with leaders working more collaboratively to improve outcomes for children and young people with SEND.', []],
      [FindingKind.STRENGTH, 'Investment in new roles for SEND transformation: a SEND programme lead, an independent Improvement Board chair and pathway leads.', ['PAP-4.1']],
      [FindingKind.STRENGTH, 'A SEND Improvement Programme "Reset" to evaluate progress since the inspection, restructured around the six co-produced outcomes.', []],
      [FindingKind.STRENGTH, 'Professionals remain dedicated and committed to improving provision and outcomes.', []],
      [FindingKind.STRENGTH, 'Improved 20-week timeliness: families waited five weeks less for their EHC plans in September 2023 than in January 2023 (36.8 weeks down to 28.3).', ['PAP-1.1']],
      [FindingKind.STRENGTH, 'Plans issued within 20 weeks rose from 4.5% at the inspection to 28%, in line with planned improvements; the ambition is to exceed the national average, currently 49%.', ['PAP-1.1']],
      [FindingKind.STRENGTH, 'Improved co-production with families and young people through the parent carer forum and Young Pioneers, with more investment in the forum.', ['PAP-3.1']],
      [FindingKind.IMPROVEMENT_NEEDED, 'SEND governance structures and reporting should ensure robust oversight, monitoring and responsiveness to escalation for the PAP and wider SEND transformation.', ['PAP-4.1']],
      [FindingKind.IMPROVEMENT_NEEDED, 'Capture the SEND Improvement Programme "Reset" narrative to show how it supports the partnership\'s progress.', ['PAP-4.1']],
      [FindingKind.IMPROVEMENT_NEEDED, 'Refine PAP progress reporting to describe clearly what "at risk" means, with a clear narrative of current position and next steps.', ['PAP-4.1']],
      [FindingKind.IMPROVEMENT_NEEDED, 'Improved and consistent communication about progress and plans with families and the workforce.', ['PAP-3.1']],
    ];
    findings.forEach(([kind, text, refs], position) => tx.create(ReviewFinding, { review: jan, kind, text, linkedActionReferences: refs, position }));
    const dive = tx.create(Review, { kind: ReviewKind.DEEP_DIVE, heldDate: '2024-03-19', conductedBy: 'DfE and NHS England SEND advisers', title: 'Area of Priority Action deep dive: both APAs at operational level', published: true });
    tx.create(ReviewFinding, { review: dive, kind: FindingKind.IMPROVEMENT_NEEDED, text: 'Evidence of operational impact on waiting times for health services to be strengthened.', linkedActionReferences: ['PAP-2.2', 'PAP-2.3'], position: 0 });
    tx.create(Review, { kind: ReviewKind.STOCKTAKE, heldDate: '2024-06-20', conductedBy: 'DfE Regions Group (East Midlands) and NHS England', title: 'DfE and NHS England stocktake (June 2024)', published: true });
    tx.create(Review, { kind: ReviewKind.STOCKTAKE, heldDate: '2026-06-17', conductedBy: 'Department for Education', title: today >= '2026-06-17' ? 'DfE stocktake, summer term 2026' : 'DfE stocktake, summer term 2026 (date to be confirmed)', published: true });

    // ---- escalations (raised by today; a response dated after today is not given yet) ----
    const escalation = (e: Partial<Escalation> & Pick<Escalation, 'raisedDate' | 'status'>) => {
      if (e.raisedDate > today) return;
      const answered = e.respondedDate && e.respondedDate <= today;
      tx.create(Escalation, { ...e, ...(answered ? {} : { response: null, respondedDate: null, status: EscalationStatus.OPEN }) } as Escalation);
    };
    escalation({ raisedBy: 'Designated Clinical Officer', raisedByOrganisation: Organisation.ICB, body: spib, action: byRef.get('PAP-2.2'), issue: 'Procurement of additional neurodevelopmental assessment capacity delayed: waits will not fall as planned without a decision on funding.', raisedDate: '2025-11-28', responseDueDate: '2026-01-09', response: 'Funding confirmed by both chief executives; revised timetable accepted.', respondedDate: '2026-01-08', status: EscalationStatus.RESPONDED, published: true });
    escalation({ raisedBy: 'Group Manager, Plan and Review', raisedByOrganisation: Organisation.LA, body: spib, action: byRef.get('PAP-1.3'), issue: 'Overdue annual reviews rising after the MOSAIC transfer; capacity needed in the plan and review team.', raisedDate: '2026-01-12', responseDueDate: '2026-02-06', response: 'Two more plan and review officers funded; weekly overdue list to team managers.', respondedDate: '2026-03-18', status: EscalationStatus.RESPONDED, published: false });
    escalation({ raisedBy: 'SEND Programme Lead', raisedByOrganisation: Organisation.JOINT, body: spib, action: byRef.get('PAP-1.2'), issue: 'Educational psychology capacity: locum supply below what was commissioned.', raisedDate: '2026-01-26', responseDueDate: '2026-03-06', response: 'Third locum provider contracted from April.', respondedDate: '2026-04-22', status: EscalationStatus.RESPONDED, published: false });
    escalation({ raisedBy: 'Head of Children\'s Commissioning', raisedByOrganisation: Organisation.ICB, body: spib, issue: 'Occupational therapy waits rising while speech and language therapy waits fall.', raisedDate: '2025-10-06', responseDueDate: '2025-11-14', response: 'OT recruitment approved; group offer for families on the waiting list.', respondedDate: '2025-11-10', status: EscalationStatus.CLOSED, published: true });
    escalation({ raisedBy: 'Designated Clinical Officer', raisedByOrganisation: Organisation.ICB, body: selg, action: byRef.get('PAP-2.1'), issue: 'Health advice within 6 weeks fell below 60% in the summer: community paediatrics cannot meet the 6 weeks without protected clinic time.', raisedDate: '2026-09-07', responseDueDate: '2026-10-14', status: EscalationStatus.OPEN, published: true });
    escalation({ raisedBy: 'Head of Children\'s Commissioning', raisedByOrganisation: Organisation.ICB, body: selg, action: byRef.get('PAP-2.3'), issue: 'Community waits over 18 weeks are not falling: the share has stayed near half since 2025.', raisedDate: '2026-06-29', responseDueDate: '2026-07-15', response: 'Waiting list initiative for speech and language therapy and occupational therapy agreed by both chief executives.', respondedDate: '2026-07-15', status: EscalationStatus.RESPONDED, published: true });

    // ---- family voice ----
    const voice: Array<[FeedbackSource, string, string, string, string | null, string | null]> = [
      [FeedbackSource.SESSION, 'Allocated worker', '2026-01-29', 'We are worried about not always having an allocated worker and are not clear how it works.', 'FAQ co-produced with the parent carer forum; anyone who needs a worker will have one.', '2026-02-20'],
      [FeedbackSource.SESSION, 'Engagement notice', '2026-01-29', 'Meet-the-team sessions were offered at too short notice.', 'Sessions now advertised at least three weeks ahead.', '2026-02-20'],
      [FeedbackSource.PARENT_CARER_FORUM, 'Allocated worker', '2026-02-03', 'Parents are willing to try the new approach but want it kept under review.', 'The trial is reviewed with the forum in May.', '2026-02-09'],
      [FeedbackSource.PARENT_CARER_FORUM, 'Communication', '2026-01-15', 'Families hear about changes from other parents before the service tells them.', null, null],
      [FeedbackSource.SURVEY, 'Timeliness of EHC plans', '2025-12-10', 'We waited much longer than 20 weeks for our child\'s plan.', 'Focused assessment team in post; weekly tracking of every assessment past week 14.', '2026-01-30'],
      [FeedbackSource.SURVEY, 'Annual reviews', '2025-12-10', 'Annual review decisions take months to arrive.', null, null],
      [FeedbackSource.SURVEY, 'Waiting times', '2025-12-10', 'The wait for an autism assessment is too long and there is little support meanwhile.', 'Waiting well offer published; additional assessment capacity being commissioned.', '2026-01-20'],
      [FeedbackSource.SESSION, 'SPACE programme', '2025-11-18', 'The SPACE group sessions gave us ideas to support our anxious child; meeting other parents helped.', 'Groups continue; one-to-one sessions where groups do not meet a family\'s needs.', '2025-12-05'],
      [FeedbackSource.YOUNG_PEOPLES_GROUP, 'Transitions', '2025-11-25', 'Young Pioneers want to be involved earlier in planning for moving on from school.', 'Young Pioneers join the preparing-for-adulthood workstream.', '2026-01-12'],
      [FeedbackSource.YOUNG_PEOPLES_GROUP, 'Communication', '2026-02-02', 'Letters about our plans are hard to understand.', null, null],
      [FeedbackSource.PARENT_CARER_FORUM, 'Schools', '2026-02-09', 'Schools need to be part of the new approach.', null, null],
      [FeedbackSource.PARENT_CARER_FORUM, 'Allocated worker', '2026-05-20', 'The review of the trial heard that most families on it are content; some did not know whom to call.', 'A named duty contact in every plan and review team, on every letter.', '2026-07-15'],
      [FeedbackSource.SURVEY, 'Timeliness of EHC plans', '2026-06-30', 'Our plan came within 20 weeks and the draft was clear.', null, null],
      [FeedbackSource.SURVEY, 'Waiting times', '2026-06-30', 'Still waiting over a year for an autism assessment.', 'Additional assessment clinics running from July; waiting well offer sent to every family waiting.', '2026-07-20'],
      [FeedbackSource.SESSION, 'SPACE programme', '2026-09-16', 'Families in the south of the county asked when SPACE groups will run near them.', null, null],
      [FeedbackSource.YOUNG_PEOPLES_GROUP, 'Transitions', '2026-10-05', 'Young Pioneers reviewed the preparing-for-adulthood pages and asked for plain-English versions.', 'Plain-English pages co-written with the Young Pioneers.', '2026-11-09'],
      [FeedbackSource.PARENT_CARER_FORUM, 'Annual reviews', '2026-10-28', 'Review decisions come faster, but some families still wait months after the meeting.', null, null],
    ];
    for (const [source, theme, receivedDate, youSaid, weDid, respondedDate] of voice) {
      if (receivedDate > today) continue;
      const answered = respondedDate !== null && respondedDate <= today;
      tx.create(FamilyFeedback, { source, theme, receivedDate, youSaid, weDid: answered ? weDid : null, respondedDate: answered ? respondedDate : null, published: true });
    }
  });
  options.log('governance: bodies, meetings, Priority Action Plan, KPIs, stocktakes, escalations and family voice seeded');
}
