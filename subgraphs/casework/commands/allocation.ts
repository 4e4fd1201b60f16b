import type { EntityManager } from '@mikro-orm/postgresql';
import { conflict } from '../../../platform/problems';
import { today } from '../../toolkit/dates';
import { mustFind, refId } from '../../toolkit/records';
import type { Command } from '../../toolkit/write';
import { Caseworker, Child, WorkerAllocation } from '../entities';
import { allocationEndsBefore, allocationFollows } from '../rules/life-cycle';
import { dateProblems, problem } from './checks';

/** A caseworker allocated to a child from a date (AllocateWorkerInput). */
export interface WorkerAllocated {
  childId: string;
  caseworkerId: string;
  startDate: string;
}

/** A decision that a child has no allocated worker (NoAllocatedWorkerInput). */
export interface NoWorkerDecided {
  childId: string;
  decidedBy: string;
  reason: string;
  startDate: string;
  nextReviewDate: string;
}

/** A child and the allocation that holds now (the latest without an end), if any. */
export interface AllocationState {
  child: Child;
  current: WorkerAllocation | null;
  today: string;
}

async function loadAllocation(tx: EntityManager, childId: string): Promise<AllocationState> {
  const child = await mustFind(tx, Child, childId, 'input.childId', 'child');
  const current = await tx.findOne(WorkerAllocation, { child: child.id, endDate: null }, { orderBy: { startDate: 'desc' } });
  return { child, current, today: today() };
}

/** Who the child is allocated to (no caseworker: a decision to have none, with who decided, why and until when). */
interface AllocationValues {
  caseworker: string | null;
  team: string | null;
  decidedBy?: string;
  reason?: string;
  nextReviewDate?: string;
}

/** Ends the current allocation the day before, then starts the new one. */
async function allocate(tx: EntityManager, { child, current }: AllocationState, startDate: string, values: AllocationValues): Promise<WorkerAllocation> {
  if (current) {
    current.endDate = allocationEndsBefore(startDate);
    // Written first: the database holds at most one open allocation per child, and a flush inserts before it updates.
    await tx.flush();
  }
  return tx.create(WorkerAllocation, { ...values, child: child.id, startDate });
}

/**
 * One allocation per child and start date, and one open at a time, both kept by
 * the database: the same allocation recorded twice at once, or two at once from
 * different dates, leave one.
 */
async function allocationConflict(em: EntityManager, childId: string, startDate: string) {
  const same = await em.findOne(WorkerAllocation, { child: childId, startDate });
  if (same) return conflict(`input.startDate: this child already has an allocation starting on ${startDate}.`, { type: 'WorkerAllocation', id: same.id });
  const open = await em.findOne(WorkerAllocation, { child: childId, endDate: null });
  return open && conflict('input.startDate: the child\'s allocation changed while this was being recorded; look again before recording it.', { type: 'WorkerAllocation', id: open.id });
}

/** A caseworker allocated from a date. */
export const allocateWorker: Command<WorkerAllocated, AllocationState & { worker: Caseworker }, WorkerAllocation> = {
  async load(tx, input) {
    const state = await loadAllocation(tx, input.childId);
    return { ...state, worker: await mustFind(tx, Caseworker, input.caseworkerId, 'input.caseworkerId', 'caseworker') };
  },
  check: (input, { current, today }) => dateProblems('input.startDate', input.startDate, today, allocationFollows(current)),
  apply: (tx, input, state) => allocate(tx, state, input.startDate, { caseworker: state.worker.id, team: refId(state.worker.team) }),
  onConflict: (em, input) => allocationConflict(em, input.childId, input.startDate),
};

/** A decision that the child has no allocated worker: who decided, why, and when it is next reviewed. */
export const recordNoAllocatedWorker: Command<NoWorkerDecided, AllocationState, WorkerAllocation> = {
  load: (tx, input) => loadAllocation(tx, input.childId),
  check: (input, { current, today }) => [
    ...(input.decidedBy.trim() ? [] : [problem('input.decidedBy', 'say who decided')]),
    ...(input.reason.trim() ? [] : [problem('input.reason', 'say why the child has no allocated worker')]),
    ...(input.nextReviewDate <= input.startDate
      ? [{ field: 'input.nextReviewDate', message: `input.nextReviewDate (${input.nextReviewDate}) must be after input.startDate (${input.startDate}).` }]
      : []),
    ...dateProblems('input.startDate', input.startDate, today, allocationFollows(current)),
  ],
  apply: (tx, input, state) =>
    allocate(tx, state, input.startDate, {
      caseworker: null,
      team: state.child.team ? refId(state.child.team) : null,
      decidedBy: input.decidedBy.trim(),
      reason: input.reason.trim(),
      nextReviewDate: input.nextReviewDate,
    }),
  onConflict: (em, input) => allocationConflict(em, input.childId, input.startDate),
};
