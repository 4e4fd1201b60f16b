import type { RagValue } from '../entities/enums';

/**
 * The partner briefing as Markdown, from a meeting and the KPI cards at its date.
 * Pure: the resolver gathers the facts (the live values arrive through the gateway).
 */
export interface BriefingInput {
  body: { name: string; cadence: string; chair: string | null };
  meeting: { heldDate: string; title: string; focusTopics: string[]; discussion: string[]; decisions: string[]; actionsArising: Array<{ description: string; owner: string; dueDate: string | null }> };
  kpis: Array<{ name: string; owner: string; value: number | null; suppressed: boolean; unit: string; periodStart: string; periodEnd: string; target: number | null; trajectoryValue: number | null; rag: RagValue; england: { year: number; value: number | null } | null }>;
  next: { heldDate: string; bodyName: string; title: string } | null;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** "Wednesday, 18 March 2026". */
export function longDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  const weekday = DAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
  return `${weekday}, ${d} ${MONTHS[m - 1]} ${y}`;
}

const num = (v: number | null) => (v === null ? '–' : Number.isInteger(v) ? v.toLocaleString('en-GB') : v.toLocaleString('en-GB', { maximumFractionDigits: 1 }));
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function listOrNone(items: string[], none: string): string[] {
  return items.length ? items.map((i) => `- ${i}`) : [`_${none}_`];
}

export function renderBriefing(input: BriefingInput): string {
  const { body, meeting, kpis, next } = input;
  const [y, m] = meeting.heldDate.split('-').map(Number);
  const lines: string[] = [];
  lines.push(`# ${body.name}: ${MONTHS[m - 1]} ${y} partner update`, '');
  lines.push(`The ${body.name} meets ${body.cadence.toLowerCase()}${body.chair ? ` and is chaired by ${body.chair}` : ''}.`, '');
  const topics = meeting.focusTopics.length ? ` and focused on ${meeting.focusTopics.length > 1 ? `${meeting.focusTopics.slice(0, -1).join(', ')} and ${meeting.focusTopics[meeting.focusTopics.length - 1]}` : meeting.focusTopics[0]}` : '';
  lines.push(`The most recent meeting took place on ${longDate(meeting.heldDate)}${topics}.`, '');
  lines.push('## What was discussed', '', ...(meeting.discussion.length ? meeting.discussion.flatMap((p) => [p, '']) : ['_Nothing recorded._', '']));
  lines.push('## Decisions', '', ...listOrNone(meeting.decisions, 'No decisions recorded.'), '');
  if (meeting.actionsArising.length) {
    lines.push('## Actions arising', '', ...meeting.actionsArising.map((a) => `- ${a.description} (${a.owner}${a.dueDate ? `, by ${longDate(a.dueDate)}` : ''})`), '');
  }
  lines.push('## Performance against our KPIs', '');
  if (kpis.length === 0) {
    lines.push('_No KPIs are published yet._', '');
  } else {
    lines.push(`Live figures for the last whole period on or before ${longDate(meeting.heldDate)}. RAG compares each figure with the trajectory the partnership agreed for that period; grey means no figure (not yet measured, or withheld to protect small numbers).`, '');
    lines.push('| KPI | Owner | Period | Value | Trajectory | Target | RAG | England |', '|---|---|---|---|---|---|---|---|');
    for (const k of kpis) {
      const value = k.suppressed ? 'withheld (small numbers)' : num(k.value);
      const england = k.england ? `${num(k.england.value)} (${k.england.year})` : '–';
      lines.push(`| ${cell(k.name)} | ${k.owner} | ${k.periodStart} to ${k.periodEnd} | ${value} | ${num(k.trajectoryValue)} | ${num(k.target)} | ${k.rag} | ${england} |`);
    }
    lines.push('');
  }
  lines.push('## Next meeting', '', next ? `The next meeting of the ${next.bodyName} is on ${longDate(next.heldDate)} (${next.title}).` : '_No further meeting is scheduled yet._', '');
  if (body.chair) lines.push(body.chair.replace(/\s*\(.*\)$/, ''), '');
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}
