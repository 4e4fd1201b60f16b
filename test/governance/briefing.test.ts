import { longDate, renderBriefing, type BriefingInput } from '../../subgraphs/governance/rules/briefing';
import { RagValue } from '../../subgraphs/governance/entities/enums';

const input: BriefingInput = {
  body: { name: 'SEND Partnership Improvement Board', cadence: 'Every six weeks', chair: 'Dame Christine Lenehan (independent chair)' },
  meeting: {
    heldDate: '2026-02-09', title: 'Improvement Board, February 2026', focusTopics: ['the new statutory SEND service structure', 'SEND reform', 'the governance structure'],
    discussion: ['Governance: from April 2026 the SEND Executive Leadership Group meets quarterly.'],
    decisions: ['The final Board meets on 18 March 2026.'],
    actionsArising: [{ description: 'Give parents more notice of sessions.', owner: 'LA', dueDate: '2026-03-18' }],
  },
  kpis: [
    { name: 'Plans within 20 weeks | excl.', owner: 'LA', value: 41.25, suppressed: false, unit: '', periodStart: '2025-10-01', periodEnd: '2025-12-31', target: 50, trajectoryValue: 46, rag: RagValue.AMBER, england: { year: 2024, value: 46.4 } },
    { name: 'SPACE completion', owner: 'ICB', value: null, suppressed: true, unit: '', periodStart: '2025-10-01', periodEnd: '2025-12-31', target: 75, trajectoryValue: null, rag: RagValue.GREY, england: null },
  ],
  next: { heldDate: '2026-03-18', bodyName: 'SEND Partnership Improvement Board', title: 'Improvement Board, March 2026 (final meeting)' },
};

describe('partner briefing', () => {
  it('writes long dates as the briefings do', () => {
    expect(longDate('2026-03-18')).toBe('Wednesday, 18 March 2026');
    expect(longDate('2026-02-09')).toBe('Monday, 9 February 2026');
  });

  it('tells what was discussed and decided, the KPIs with live values, and the next meeting', () => {
    const md = renderBriefing(input);
    expect(md.startsWith('# SEND Partnership Improvement Board: February 2026 partner update\n')).toBe(true);
    expect(md).toContain('chaired by Dame Christine Lenehan (independent chair)');
    expect(md).toContain('took place on Monday, 9 February 2026 and focused on the new statutory SEND service structure, SEND reform and the governance structure.');
    expect(md).toContain('## Decisions\n\n- The final Board meets on 18 March 2026.');
    expect(md).toContain('- Give parents more notice of sessions. (LA, by Wednesday, 18 March 2026)');
    // A pipe in a name cannot break the table; a withheld value says so rather than showing a number.
    expect(md).toContain('| Plans within 20 weeks \\| excl. | LA | 2025-10-01 to 2025-12-31 | 41.3 | 46 | 50 | AMBER | 46.4 (2024) |');
    expect(md).toContain('| SPACE completion | ICB | 2025-10-01 to 2025-12-31 | withheld (small numbers) | – | 75 | GREY | – |');
    expect(md).toContain('The next meeting of the SEND Partnership Improvement Board is on Wednesday, 18 March 2026 (Improvement Board, March 2026 (final meeting)).');
    expect(md.trimEnd().endsWith('Dame Christine Lenehan')).toBe(true);
  });

  it('says so when there are no KPIs, decisions or next meeting', () => {
    const md = renderBriefing({ ...input, kpis: [], next: null, meeting: { ...input.meeting, decisions: [], actionsArising: [] } });
    expect(md).toContain('_No KPIs are published yet._');
    expect(md).toContain('_No decisions recorded._');
    expect(md).not.toContain('## Actions arising');
    expect(md).toContain('_No further meeting is scheduled yet._');
  });
});
