import { conflict } from '../../../platform/problems';
import { mustFind, mustFindAll } from '../../toolkit/records';
import type { Command } from '../../toolkit/write';
import { Kpi, PapArea, PriorityAction, PriorityActionKpi } from '../entities';
import type { Organisation } from '../entities/enums';
import { canName, problem, requiredText, SHORT_TEXT } from './checks';

/** A new action in the Priority Action Plan, in an area, with the KPIs that show whether it works. */
export interface NewPriorityAction {
  areaReference: string;
  reference: string;
  title: string;
  ownerOrganisation: Organisation;
  leadRole: string;
  startDate: string;
  kpiIds?: string[] | null;
  published?: boolean | null;
}

/** The length of an action's reference (priority_action.reference). */
const REFERENCE = 16;

/**
 * An action's reference is unique in the plan: the database decides
 * (priority_action.reference is unique), so a second action with a reference, at
 * once or later, is answered CONFLICT naming the one that exists.
 */
export const createPriorityAction: Command<NewPriorityAction, { area: PapArea | null; kpis: Kpi[] }, PriorityAction> = {
  load: async (tx, input) => ({
    area: canName(input.areaReference) ? await tx.findOne(PapArea, { reference: input.areaReference }) : null,
    // Every KPI in one query; an unknown one is refused by its position (input.kpiIds[i]).
    kpis: await mustFindAll(tx, Kpi, input.kpiIds ?? [], 'input.kpiIds', 'KPI'),
  }),
  check: (input, { area }) => [
    ...requiredText('input.reference', input.reference, REFERENCE),
    ...requiredText('input.title', input.title),
    ...requiredText('input.leadRole', input.leadRole, SHORT_TEXT),
    ...(area ? [] : [problem('input.areaReference', `no area for priority action has reference "${input.areaReference}".`)]),
  ],
  apply: (tx, input, { area, kpis }) => {
    const action = tx.create(PriorityAction, {
      area: area!,
      reference: input.reference.trim(),
      title: input.title.trim(),
      leadRole: input.leadRole.trim(),
      ownerOrganisation: input.ownerOrganisation,
      startDate: input.startDate,
      published: input.published ?? true,
    });
    for (const kpi of kpis) tx.create(PriorityActionKpi, { action, kpi });
    return action;
  },
  onConflict: async (em, input) => {
    const existing = await em.findOne(PriorityAction, { reference: input.reference.trim() });
    return existing && conflict(`input.reference: an action ${existing.reference} already exists.`, { type: 'PriorityAction', id: existing.id });
  },
};

/** Links a KPI to an action; linking one already linked changes nothing. */
export const linkKpiToAction: Command<{ actionId: string; kpiId: string }, { action: PriorityAction; kpi: Kpi; linked: boolean }, PriorityAction> = {
  load: async (tx, input) => {
    const action = await mustFind(tx, PriorityAction, input.actionId, 'input.actionId', 'action');
    const kpi = await mustFind(tx, Kpi, input.kpiId, 'input.kpiId', 'KPI');
    return { action, kpi, linked: !!(await tx.findOne(PriorityActionKpi, { action, kpi })) };
  },
  check: () => [],
  apply: (tx, _input, { action, kpi, linked }) => {
    if (!linked) tx.create(PriorityActionKpi, { action, kpi });
    return action;
  },
  // Two board members linking the same KPI at once: one link is made, the other hears it exists.
  onConflict: async (em, input) => {
    const link = await em.findOne(PriorityActionKpi, { action: input.actionId, kpi: input.kpiId });
    return link && conflict('The KPI was linked to this action a moment ago.', { type: 'PriorityAction', id: input.actionId });
  },
};
