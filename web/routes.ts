import type { Route } from './context';
import { dashboardRoutes } from './pages/dashboard';
import { kpiRoutes } from './pages/kpi';
import { priorityActionRoutes } from './pages/priority-action';
import { explorerRoutes } from './explorer/page';
import { auditRoutes } from './audit/page';
import { timelineRoutes } from './timeline/page';
import { briefingRoutes } from './briefing/page';

/** Every page's routes. A new page module adds its list here (and its entry in nav.ts). */
export function pageRoutes(): Route[] {
  return [...dashboardRoutes, ...kpiRoutes, ...priorityActionRoutes, ...explorerRoutes, ...auditRoutes, ...timelineRoutes, ...briefingRoutes];
}
