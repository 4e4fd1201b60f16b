import { overrideActionStatus } from '../../subgraphs/governance/commands/action-status';
import { closeEscalation, raiseEscalation, respondToEscalation } from '../../subgraphs/governance/commands/escalation';
import { respondToFamilyFeedback } from '../../subgraphs/governance/commands/family-feedback';
import { createKpi, updateKpi, type NewKpi } from '../../subgraphs/governance/commands/kpi';
import { createMeeting, recordMeetingOutcome, type NewMeeting } from '../../subgraphs/governance/commands/meeting';
import { addMilestone } from '../../subgraphs/governance/commands/milestone';
import { createPriorityAction, type NewPriorityAction } from '../../subgraphs/governance/commands/priority-action';
import { recordProgressUpdate } from '../../subgraphs/governance/commands/progress-update';
import { Escalation, FamilyFeedback, GovernanceBody, Kpi, Meeting, PapArea, PriorityAction } from '../../subgraphs/governance/entities';
import { ActionStatusValue, DirectionValue, EscalationStatus, FeedbackSource, Organisation } from '../../subgraphs/governance/entities/enums';
import { Interval } from '../../subgraphs/toolkit/measures/periods';

/**
 * The governance commands' checks are pure: the input and the state the command
 * loaded in, the problems out. Tested here without a database; the same commands
 * run through the gateway in gateway.test.ts and duplicates.test.ts.
 */
const fields = (problems: Array<{ field: string }>) => problems.map((p) => p.field);
const body = Object.assign(new GovernanceBody(), { code: 'SPIB', name: 'Improvement Board', startDate: '2023-06-01', endDate: '2026-03-31' });
const action = Object.assign(new PriorityAction(), { reference: 'PAP-1.1', startDate: '2024-04-01' });

describe('createMeeting', () => {
  const meeting: NewMeeting = { bodyCode: 'SPIB', heldDate: '2026-02-09', title: 'Board' };
  it('accepts a meeting while its body operates', () => {
    expect(createMeeting.check(meeting, { body })).toEqual([]);
  });
  it('refuses every problem at once, each naming its field', () => {
    const problems = createMeeting.check(
      { ...meeting, title: ' ', attendance: [{ organisation: 'LA', count: 3 }, { organisation: 'ICB', count: -1 }], actionsArising: [{ description: 'Do it', owner: '' }] },
      { body },
    );
    expect(fields(problems)).toEqual(['input.title', 'input.attendance[1].count', 'input.actionsArising[0].owner']);
    expect(problems[0].message).toBe('input.title: must not be blank.');
  });
  it('names the body\'s life when the date falls outside it, and an unknown body by its code', () => {
    const [late] = createMeeting.check({ ...meeting, heldDate: '2026-04-01' }, { body });
    expect(late).toEqual({ field: 'input.heldDate', message: 'input.heldDate: Improvement Board operates from 2023-06-01 to 2026-03-31.' });
    expect(createMeeting.check({ ...meeting, heldDate: '2023-05-31' }, { body }).map((p) => p.field)).toEqual(['input.heldDate']);
    expect(createMeeting.check({ ...meeting, bodyCode: 'NOPE' }, { body: null })).toEqual([{ field: 'input.bodyCode', message: 'input.bodyCode: no governance body has code "NOPE".' }]);
  });
  it('refuses text PostgreSQL cannot hold or a column cannot fit, as bad input', () => {
    expect(fields(createMeeting.check({ ...meeting, title: 'a\u0000b' }, { body }))).toEqual(['input.title']);
    expect(createMeeting.check({ ...meeting, title: 'x'.repeat(256) }, { body })[0].message).toBe('input.title: must be at most 255 characters.');
    expect(createMeeting.check({ ...meeting, title: 'x'.repeat(255) }, { body })).toEqual([]);
    expect(fields(createMeeting.check({ ...meeting, discussion: ['ok', 'bad\u0000'] }, { body }))).toEqual(['input.discussion[1]']);
  });
});

describe('recordMeetingOutcome', () => {
  const meeting = new Meeting();
  it('needs every decision and every action\'s description and owner; blank paragraphs of discussion are dropped, not refused', () => {
    expect(recordMeetingOutcome.check({ meetingId: 'm', discussion: ['', 'Said.'], decisions: ['Agreed.'], actionsArising: [] }, meeting)).toEqual([]);
    expect(fields(recordMeetingOutcome.check({ meetingId: 'm', discussion: [], decisions: ['Agreed.', ' '], actionsArising: [{ description: ' ', owner: 'LA' }] }, meeting))).toEqual(['input.decisions[1]', 'input.actionsArising[0].description']);
  });
  it('replaces what was recorded, trimmed', () => {
    const m = recordMeetingOutcome.apply(undefined as never, { meetingId: 'm', discussion: [' a ', ''], decisions: [' b '], actionsArising: [{ description: ' c ', owner: ' LA ' }] }, Object.assign(new Meeting(), { discussion: ['old'] })) as Meeting;
    expect({ discussion: m.discussion, decisions: m.decisions, actionsArising: m.actionsArising }).toEqual({ discussion: ['a'], decisions: ['b'], actionsArising: [{ description: 'c', owner: 'LA', dueDate: null }] });
  });
});

describe('createKpi and updateKpi', () => {
  const kpi: NewKpi = { name: 'Plans', measureCode: 'PLANS_ACTIVE', interval: Interval.MONTH, direction: DirectionValue.LOWER_IS_BETTER, amberTolerance: 1 };
  it('accepts a KPI over a code its owner computes', () => {
    expect(createKpi.check(kpi, null)).toEqual([]);
  });
  it('refuses a code no owner computes, listing the codes', () => {
    const [p] = createKpi.check({ ...kpi, measureCode: 'PLANS_OPEN' }, null);
    expect(p.field).toBe('input.measureCode');
    expect(p.message).toContain('PLANS_ACTIVE');
    expect(p.message).toContain('CYP_MH_ACCESS');
  });
  it('checks the targets: finite numbers, a tolerance of zero or more, each trajectory period once, three-digit neighbours', () => {
    const problems = createKpi.check(
      { ...kpi, baseline: Number.NaN, amberTolerance: -1, trajectory: [{ periodEnd: '2026-01-31', value: 1 }, { periodEnd: '2026-01-31', value: 2 }], statisticalNeighbours: ['891', 'E10000024'] },
      null,
    );
    expect(fields(problems)).toEqual(['input.baseline', 'input.amberTolerance', 'input.trajectory[1].periodEnd', 'input.statisticalNeighbours[1]']);
    expect(problems[2].message).toBe('input.trajectory[1].periodEnd: 2026-01-31 appears twice.');
  });
  it('an update checks only what it changes, and a tolerance cannot be taken away', () => {
    const held = new Kpi();
    expect(updateKpi.check({ kpiId: 'k' }, held)).toEqual([]);
    expect(fields(updateKpi.check({ kpiId: 'k', name: ' ', amberTolerance: null }, held))).toEqual(['input.name', 'input.amberTolerance']);
  });
  it('an update leaves what it does not name as it was', () => {
    const held = Object.assign(new Kpi(), { name: 'Plans', baseline: 10, target: 20, amberTolerance: 2, direction: DirectionValue.LOWER_IS_BETTER, trajectory: [{ periodEnd: '2026-01-31', value: 5 }], statisticalNeighbours: ['891'] });
    const updated = updateKpi.apply(undefined as never, { kpiId: 'k', target: null, name: ' Active plans ' }, held) as Kpi;
    expect(updated).toMatchObject({ name: 'Active plans', baseline: 10, target: null, amberTolerance: 2, trajectory: [{ periodEnd: '2026-01-31', value: 5 }], statisticalNeighbours: ['891'] });
  });
});

describe('createPriorityAction', () => {
  const input: NewPriorityAction = { areaReference: 'APA-1', reference: 'PAP-9.1', title: 'Do better', ownerOrganisation: Organisation.JOINT, leadRole: 'Lead', startDate: '2026-01-01' };
  const area = new PapArea();
  it('needs an area that exists and a reference that fits its column', () => {
    expect(createPriorityAction.check(input, { area, kpis: [] })).toEqual([]);
    expect(fields(createPriorityAction.check({ ...input, reference: 'PAP-'.padEnd(17, '9') }, { area, kpis: [] }))).toEqual(['input.reference']);
    expect(createPriorityAction.check(input, { area: null, kpis: [] })).toEqual([{ field: 'input.areaReference', message: 'input.areaReference: no area for priority action has reference "APA-1".' }]);
  });
});

describe('overrideActionStatus', () => {
  it('an override needs a reason and an expiry date; clearing one needs neither', () => {
    expect(fields(overrideActionStatus.check({ actionId: 'a', status: ActionStatusValue.ON_TRACK, reason: '', expiryDate: null }, action))).toEqual(['input.reason', 'input.expiryDate']);
    expect(overrideActionStatus.check({ actionId: 'a', status: ActionStatusValue.ON_TRACK, reason: 'Agreed', expiryDate: '2026-04-01' }, action)).toEqual([]);
    expect(overrideActionStatus.check({ actionId: 'a', status: null, reason: null, expiryDate: null }, action)).toEqual([]);
  });
});

describe('milestones and progress updates', () => {
  it('a milestone is not due before its action started', () => {
    expect(addMilestone.check({ actionId: 'a', title: 'M', dueDate: '2024-03-31' }, action)).toEqual([{ field: 'input.dueDate', message: 'input.dueDate: is before the action started (2024-04-01).' }]);
    expect(addMilestone.check({ actionId: 'a', title: 'M', dueDate: '2024-04-01' }, action)).toEqual([]);
  });
  it('a progress update gives both the current position and the next steps', () => {
    const update = { actionId: 'a', recordedDate: '2026-02-10', currentPosition: 'Backlog down.', nextSteps: '  ', recordedBy: 'u' };
    expect(fields(recordProgressUpdate.check(update, action))).toEqual(['input.nextSteps']);
    expect(fields(recordProgressUpdate.check({ ...update, currentPosition: '' }, action))).toEqual(['input.currentPosition', 'input.nextSteps']);
  });
});

describe('escalations', () => {
  const input = { raisedBy: 'DCO', raisedByOrganisation: Organisation.ICB, bodyCode: 'SPIB', issue: 'Waits', raisedDate: '2026-05-01', responseDueDate: '2026-05-20' };
  it('a response is not due before the issue was raised, and the body must exist', () => {
    expect(raiseEscalation.check(input, { body, action: null })).toEqual([]);
    expect(fields(raiseEscalation.check({ ...input, responseDueDate: '2026-04-01' }, { body: null, action: null }))).toEqual(['input.responseDueDate', 'input.bodyCode']);
  });
  const escalation = (status: EscalationStatus) => Object.assign(new Escalation(), { status, raisedDate: '2026-05-01' });
  it('a closed escalation takes no response, and a response is not dated before it was raised', () => {
    expect(respondToEscalation.check({ escalationId: 'e', response: 'Done', respondedDate: '2026-05-02' }, escalation(EscalationStatus.OPEN))).toEqual([]);
    expect(fields(respondToEscalation.check({ escalationId: 'e', response: 'Done', respondedDate: '2026-04-30' }, escalation(EscalationStatus.CLOSED)))).toEqual(['input.escalationId', 'input.respondedDate']);
  });
  it('only an escalation with a response closes', () => {
    expect(fields(closeEscalation.check({ escalationId: 'e' }, escalation(EscalationStatus.OPEN)))).toEqual(['input.escalationId']);
    expect(closeEscalation.check({ escalationId: 'e' }, escalation(EscalationStatus.RESPONDED))).toEqual([]);
  });
});

describe('family feedback', () => {
  it('a response is not dated before the feedback was received', () => {
    const feedback = Object.assign(new FamilyFeedback(), { source: FeedbackSource.SURVEY, receivedDate: '2026-01-10' });
    expect(respondToFamilyFeedback.check({ feedbackId: 'f', weDid: 'Changed it.', respondedDate: '2026-01-09' }, feedback)).toEqual([{ field: 'input.respondedDate', message: 'input.respondedDate: is before the feedback was received (2026-01-10).' }]);
    expect(fields(respondToFamilyFeedback.check({ feedbackId: 'f', weDid: ' ', respondedDate: '2026-01-10' }, feedback))).toEqual(['input.weDid']);
  });
});
