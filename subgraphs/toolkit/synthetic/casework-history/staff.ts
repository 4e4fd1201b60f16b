/**
 * The council's SEND teams and caseworkers: plan and review north and south (by
 * the child's district), and focused assessment for children being assessed.
 */
import { NORTHERN_DISTRICTS } from '../population';
import type { Random } from '../random';
import type { HistoryCaseworker, HistoryTeam } from './rows';

const WORKER_FORENAMES = ['Sam', 'Alex', 'Jo', 'Priya', 'Tom', 'Rachel', 'Imran', 'Helen', 'Chris', 'Nadia', 'Gareth', 'Lucy', 'Dev', 'Kate', 'Owen', 'Hannah'];
const WORKER_SURNAMES = ['Atkins', 'Bramley', 'Clifton', 'Dale', 'Eastwood', 'Fletcher', 'Gould', 'Hucknall', 'Ingram', 'Keyworth', 'Lowdham', 'Moss', 'Newstead', 'Oakes', 'Papplewick', 'Radford'];

export interface PlanAndReviewTeam {
  team: HistoryTeam;
  workers: HistoryCaseworker[];
  /** Who decides that a child of this team has no allocated worker. */
  manager: string;
}

export interface Staff {
  teams: HistoryTeam[];
  caseworkers: HistoryCaseworker[];
  focusedAssessment: { team: HistoryTeam; workers: HistoryCaseworker[] };
  /** The plan and review team for a child living in `district`. */
  planAndReview(district: string): PlanAndReviewTeam;
}

/** Three teams of 12 caseworkers at scale 1 (never fewer than 3). */
export function drawStaff(rng: Random, s: number): Staff {
  const teams: HistoryTeam[] = [
    { id: rng.uuid(), name: 'Plan and Review North', kind: 'PLAN_AND_REVIEW' },
    { id: rng.uuid(), name: 'Plan and Review South', kind: 'PLAN_AND_REVIEW' },
    { id: rng.uuid(), name: 'Focused Assessment', kind: 'FOCUSED_ASSESSMENT' },
  ];
  const caseworkers: HistoryCaseworker[] = [];
  const workersOf = teams.map((team) => {
    const list: HistoryCaseworker[] = [];
    for (let i = 0; i < Math.max(3, Math.round(12 * s)); i++) {
      list.push({ id: rng.uuid(), name: `${rng.pick(WORKER_FORENAMES)} ${rng.pick(WORKER_SURNAMES)}`, teamId: team.id });
    }
    caseworkers.push(...list);
    return list;
  });
  const north: PlanAndReviewTeam = { team: teams[0], workers: workersOf[0], manager: 'Team manager, Plan and Review North' };
  const south: PlanAndReviewTeam = { team: teams[1], workers: workersOf[1], manager: 'Team manager, Plan and Review South' };
  return {
    teams,
    caseworkers,
    focusedAssessment: { team: teams[2], workers: workersOf[2] },
    planAndReview: (district) => (NORTHERN_DISTRICTS.has(district) ? north : south),
  };
}
