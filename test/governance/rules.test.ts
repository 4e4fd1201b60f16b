import { expectedValue, ragFor, ragRating, trendOf, type KpiTargets } from '../../subgraphs/governance/rules/rag';
import { actionStatus, type StatusInput } from '../../subgraphs/governance/rules/status';
import { GOVERNANCE_ITEMS, isPublished, publishedOnly, publishedWhere, referencesFor, visibilityFilter, visibleTo, visibleWhere, type GovernanceItem } from '../../subgraphs/governance/rules/published';
import { ownerOrganisationOf } from '../../subgraphs/governance/rules/codes';
import { ActionStatusValue, DirectionValue, RagValue } from '../../subgraphs/governance/entities/enums';

describe('RAG rule', () => {
  it('GREY when there is no value, it is suppressed, or nothing to compare with', () => {
    expect(ragRating(null, false, 50, DirectionValue.HIGHER_IS_BETTER, 5)).toBe('GREY');
    expect(ragRating(12, true, 50, DirectionValue.HIGHER_IS_BETTER, 5)).toBe('GREY');
    expect(ragRating(12, false, null, DirectionValue.HIGHER_IS_BETTER, 5)).toBe('GREY');
  });
  it('higher is better: meeting the trajectory exactly is GREEN, the tolerance boundary is AMBER, beyond is RED', () => {
    expect(ragRating(50, false, 50, DirectionValue.HIGHER_IS_BETTER, 5)).toBe('GREEN');
    expect(ragRating(60, false, 50, DirectionValue.HIGHER_IS_BETTER, 5)).toBe('GREEN');
    expect(ragRating(45, false, 50, DirectionValue.HIGHER_IS_BETTER, 5)).toBe('AMBER');
    expect(ragRating(44.9, false, 50, DirectionValue.HIGHER_IS_BETTER, 5)).toBe('RED');
  });
  it('lower is better mirrors it', () => {
    expect(ragRating(20, false, 20, DirectionValue.LOWER_IS_BETTER, 2)).toBe('GREEN');
    expect(ragRating(18, false, 20, DirectionValue.LOWER_IS_BETTER, 2)).toBe('GREEN');
    expect(ragRating(22, false, 20, DirectionValue.LOWER_IS_BETTER, 2)).toBe('AMBER');
    expect(ragRating(22.1, false, 20, DirectionValue.LOWER_IS_BETTER, 2)).toBe('RED');
  });
  it('a zero tolerance has no amber band; a negative one counts as zero', () => {
    expect(ragRating(49.9, false, 50, DirectionValue.HIGHER_IS_BETTER, 0)).toBe('RED');
    expect(ragRating(49.9, false, 50, DirectionValue.HIGHER_IS_BETTER, -3)).toBe('RED');
  });
  const kpi: KpiTargets = {
    baseline: 4.5, target: 50, direction: DirectionValue.HIGHER_IS_BETTER, amberTolerance: 5,
    trajectory: [{ periodEnd: '2025-03-31', value: 30 }, { periodEnd: '2025-06-30', value: 35 }, { periodEnd: '2025-12-31', value: 46 }],
  };
  it('the expected value is the trajectory point for the period, else the latest before it, else the baseline', () => {
    expect(expectedValue(kpi, '2025-06-30')).toBe(35);
    expect(expectedValue(kpi, '2025-09-30')).toBe(35);
    expect(expectedValue(kpi, '2026-03-31')).toBe(46);
    expect(expectedValue(kpi, '2024-12-31')).toBe(4.5);
    expect(expectedValue({ ...kpi, baseline: null }, '2024-12-31')).toBe(30);
    expect(expectedValue({ ...kpi, trajectory: [] }, '2024-12-31')).toBe(50);
  });
  it('rates a point against the trajectory for its own period, not the final target', () => {
    expect(ragFor(kpi, { periodEnd: '2025-06-30', value: 36, suppressed: false })).toBe('GREEN');
    expect(ragFor(kpi, { periodEnd: '2025-12-31', value: 36, suppressed: false })).toBe('RED');
    expect(ragFor(kpi, { periodEnd: '2025-12-31', value: 42, suppressed: false })).toBe('AMBER');
  });
  it('trend follows the direction', () => {
    expect(trendOf(DirectionValue.HIGHER_IS_BETTER, 10, 12)).toBe('IMPROVING');
    expect(trendOf(DirectionValue.LOWER_IS_BETTER, 10, 12)).toBe('WORSENING');
    expect(trendOf(DirectionValue.LOWER_IS_BETTER, 10, 10)).toBe('STEADY');
    expect(trendOf(DirectionValue.LOWER_IS_BETTER, null, 10)).toBe('UNKNOWN');
  });
});

describe('Priority Action Plan status rule', () => {
  const base: StatusInput = {
    asOf: '2026-02-09', startDate: '2025-01-01', lastUpdateOn: '2026-02-01', override: null, kpis: [],
    milestones: [{ title: 'Recruit', dueDate: '2026-06-30', completedDate: null }],
  };
  it('ON_TRACK with nothing due soon, no bad KPI and a recent update', () => {
    expect(actionStatus(base)).toEqual({ status: 'ON_TRACK', reasons: [], overridden: false });
  });
  it('AT_RISK when an unfinished milestone falls due within 28 days, inclusive; not at 29', () => {
    expect(actionStatus({ ...base, milestones: [{ title: 'M', dueDate: '2026-03-09', completedDate: null }] }).status).toBe('AT_RISK');
    expect(actionStatus({ ...base, milestones: [{ title: 'M', dueDate: '2026-03-10', completedDate: null }] }).status).toBe('ON_TRACK');
    expect(actionStatus({ ...base, milestones: [{ title: 'M', dueDate: '2026-02-09', completedDate: null }] }).status).toBe('AT_RISK');
  });
  it('OFF_TRACK when a milestone is overdue; a finished one is neither', () => {
    const r = actionStatus({ ...base, milestones: [{ title: 'Old', dueDate: '2026-02-08', completedDate: null }, { title: 'Later', dueDate: '2026-09-01', completedDate: null }] });
    expect(r.status).toBe('OFF_TRACK');
    expect(r.reasons[0]).toContain('"Old" was due on 2026-02-08');
    expect(actionStatus({ ...base, milestones: [{ title: 'Old', dueDate: '2026-02-08', completedDate: '2026-02-10' }, { title: 'x', dueDate: '2027-01-01', completedDate: null }] }).status).toBe('OFF_TRACK');
    expect(actionStatus({ ...base, milestones: [{ title: 'Old', dueDate: '2026-02-08', completedDate: '2026-02-07' }, { title: 'x', dueDate: '2027-01-01', completedDate: null }] }).status).toBe('ON_TRACK');
  });
  it('KPIs: amber is AT_RISK, red once is AT_RISK, red twice running is OFF_TRACK, grey changes nothing', () => {
    expect(actionStatus({ ...base, kpis: [{ name: 'K', latest: RagValue.AMBER, previous: RagValue.GREEN }] }).status).toBe('AT_RISK');
    expect(actionStatus({ ...base, kpis: [{ name: 'K', latest: RagValue.RED, previous: RagValue.AMBER }] }).status).toBe('AT_RISK');
    expect(actionStatus({ ...base, kpis: [{ name: 'K', latest: RagValue.RED, previous: RagValue.RED }] }).status).toBe('OFF_TRACK');
    expect(actionStatus({ ...base, kpis: [{ name: 'K', latest: RagValue.AMBER, previous: RagValue.RED }] }).status).toBe('AT_RISK');
    expect(actionStatus({ ...base, kpis: [{ name: 'K', latest: RagValue.GREY, previous: RagValue.RED }] }).status).toBe('ON_TRACK');
  });
  it('AT_RISK when no update for more than six weeks (42 days is still fine), counting from the start when there is none', () => {
    expect(actionStatus({ ...base, lastUpdateOn: '2025-12-29' }).status).toBe('ON_TRACK');
    expect(actionStatus({ ...base, lastUpdateOn: '2025-12-28' }).status).toBe('AT_RISK');
    expect(actionStatus({ ...base, lastUpdateOn: null, startDate: '2026-01-20' }).status).toBe('ON_TRACK');
    expect(actionStatus({ ...base, lastUpdateOn: null }).reasons[0]).toContain('since the action started');
  });
  it('COMPLETE when every milestone is finished by the date; not when none exist', () => {
    expect(actionStatus({ ...base, milestones: [{ title: 'A', dueDate: '2025-06-01', completedDate: '2025-05-01' }] }).status).toBe('COMPLETE');
    expect(actionStatus({ ...base, milestones: [{ title: 'A', dueDate: '2025-06-01', completedDate: '2026-03-01' }] }).status).toBe('OFF_TRACK');
    expect(actionStatus({ ...base, milestones: [] }).status).toBe('ON_TRACK');
  });
  it('an override holds until its expiry date inclusive, with its reason, then the rule applies again', () => {
    const override = { status: ActionStatusValue.ON_TRACK, reason: 'Recovery plan agreed', expiryDate: '2026-02-09' };
    const overdue = { ...base, override, milestones: [{ title: 'Old', dueDate: '2026-01-01', completedDate: null }] };
    expect(actionStatus(overdue)).toMatchObject({ status: 'ON_TRACK', overridden: true });
    expect(actionStatus(overdue).reasons[0]).toContain('Recovery plan agreed');
    expect(actionStatus({ ...overdue, asOf: '2026-02-10', lastUpdateOn: '2026-02-10' })).toMatchObject({ status: 'OFF_TRACK', overridden: false });
  });
  it('OFF_TRACK lists its at-risk causes too', () => {
    const r = actionStatus({ ...base, lastUpdateOn: '2025-01-01', milestones: [{ title: 'Old', dueDate: '2026-01-01', completedDate: null }] });
    expect(r.status).toBe('OFF_TRACK');
    expect(r.reasons).toHaveLength(2);
  });
});

describe('published rule', () => {
  const as = (roles: string[], org = 'LA') => ({ userId: 'u', roles, org });
  it('a partner app alone sees published items only', () => {
    expect(publishedOnly(as(['partner_app'], 'PARTNER:x'))).toBe(true);
    expect(visibilityFilter(as(['partner_app'], 'PARTNER:x'), 'Kpi')).toEqual({ published: true });
    expect(visibleTo(as(['partner_app']), 'Kpi', { published: false })).toBe(false);
    expect(visibleTo(as(['partner_app']), 'Kpi', { published: true })).toBe(true);
  });
  it('an item shows only when everything it hangs from is published too', () => {
    const partner = as(['partner_app'], 'PARTNER:x');
    expect(visibilityFilter(partner, 'Meeting')).toEqual({ published: true, body: { published: true } });
    expect(visibilityFilter(partner, 'PriorityAction')).toEqual({ published: true, area: { published: true } });
    expect(visibilityFilter(partner, 'Escalation')).toEqual({ published: true, body: { published: true } });
    // Items without a flag of their own follow their parent, all the way up.
    expect(publishedWhere('Milestone')).toEqual({ action: { published: true, area: { published: true } } });
    expect(publishedWhere('ReviewFinding')).toEqual({ review: { published: true } });
    expect(visibleTo(partner, 'Meeting', { published: true, body: { published: false } })).toBe(false);
    expect(visibleTo(partner, 'Meeting', { published: true, body: { published: true } })).toBe(true);
    expect(visibleTo(partner, 'Milestone', { action: { published: true, area: { published: false } } })).toBe(false);
    expect(visibleTo(partner, 'Milestone', { action: { published: true, area: { published: true } } })).toBe(true);
  });
  it('fails closed on what it cannot read: a parent missing or not loaded counts as unpublished', () => {
    expect(isPublished('Meeting', { published: true })).toBe(false);
    expect(isPublished('Meeting', { published: true, body: { id: 'b' } })).toBe(false);
    expect(isPublished('Kpi', { published: 'yes' })).toBe(false);
    expect(isPublished('Kpi', null)).toBe(false);
  });
  it('every kind names parents that are themselves kinds, so the filter reaches the top', () => {
    for (const spec of Object.values(GOVERNANCE_ITEMS)) for (const parent of Object.values(spec.parents)) expect(Object.keys(GOVERNANCE_ITEMS)).toContain(parent);
    // Every item's filter asks for at least one published flag.
    for (const kind of Object.keys(GOVERNANCE_ITEMS) as GovernanceItem[]) expect(JSON.stringify(publishedWhere(kind))).toContain('"published":true');
  });
  it('a query\'s own condition on a parent cannot overwrite the filter on it', () => {
    const partner = as(['partner_app'], 'PARTNER:x');
    expect(visibleWhere(partner, 'Meeting', { body: { code: 'SPIB' } })).toEqual({ $and: [{ published: true, body: { published: true } }, { body: { code: 'SPIB' } }] });
    expect(visibleWhere(partner, 'Meeting')).toEqual({ published: true, body: { published: true } });
    expect(visibleWhere(as(['board_member']), 'Meeting', { body: { code: 'SPIB' } })).toEqual({ body: { code: 'SPIB' } });
  });
  it('a finding names to a partner app only the actions it may see', () => {
    const visible = new Set(['PAP-1.1']);
    expect(referencesFor(as(['partner_app'], 'PARTNER:x'), ['PAP-1.1', 'PAP-1.5'], visible)).toEqual(['PAP-1.1']);
    expect(referencesFor(as(['board_member']), ['PAP-1.1', 'PAP-1.5'], visible)).toEqual(['PAP-1.1', 'PAP-1.5']);
  });
  it('any other governance reader sees everything, also alongside partner_app', () => {
    expect(publishedOnly(as(['board_member']))).toBe(false);
    expect(publishedOnly(as(['partner_app', 'executive']))).toBe(false);
    expect(visibilityFilter(as(['executive']), 'Meeting')).toEqual({});
    expect(visibleTo(as(['executive']), 'Meeting', { published: false })).toBe(true);
  });
  it('a role that does not hold for the caller\'s organisation does not lift the filter', () => {
    // icb_analyst only counts for ICB staff (effectiveRoles), so a partner claiming it stays filtered.
    expect(publishedOnly(as(['partner_app', 'icb_analyst'], 'PARTNER:x'))).toBe(true);
    // Roles that cannot read governance at all do not count either way.
    expect(publishedOnly(as(['partner_app', 'auditor'], 'PARTNER:x'))).toBe(true);
    // No caller, or one with no governance role (refused anyway), fails closed.
    expect(publishedOnly(null)).toBe(true);
    expect(publishedOnly(as(['auditor']))).toBe(true);
    expect(publishedOnly(as(['icb_analyst'], 'PARTNER:x'))).toBe(true);
    expect(publishedOnly(as(['icb_analyst'], 'ICB'))).toBe(false);
  });
});

describe('KPI measure codes', () => {
  it('names the owning organisation, or null for an unknown code', () => {
    expect(ownerOrganisationOf('PLANS_ACTIVE')).toBe('LA');
    expect(ownerOrganisationOf('CYP_MH_ACCESS')).toBe('ICB');
    expect(ownerOrganisationOf('plans_active')).toBeNull();
  });
});
