/**
 * The overdue dashboard (issue 7): for a supervisor's subtree, what is open, due this
 * week, overdue and escalated, by organisation and by process type, and the oldest
 * overdue tasks. Counted from the process summaries and open tasks as the API's in-memory
 * process index holds them (read-model/process-index.ts): at 100,000 processes a count in
 * the database itself takes seconds on FerretDB (docs/benchmarks.md).
 */
import { z } from 'zod';
import type { Endpoints, Principal } from '../http/endpoint.js';
import type { AppDeps } from '../app.js';
import type { Models } from '../../models/index.js';
import type { Org } from '../../models/org.js';
import { loadOrg, readScopeRoot, requireRole } from '../auth/access.js';
import { notFound } from '../http/errors.js';
import { currentIndex } from '../http/read-model.js';
import type { ProcessIndex } from '../../read-model/process-index.js';
import { directory } from '../../models/directory.js';
import { addDays, endOfDayMs, localDateOf } from '../../domain/calendar.js';

/** "Due this week": open tasks not yet due whose due date is today or one of the next six local days. */
export const DUE_SOON_DAYS = 7;
export const OLDEST_OVERDUE_LIMIT = 10;

const Counts = z.object({
  openProcesses: z.number().int().describe('running processes'),
  openTasks: z.number().int(),
  dueThisWeek: z.number().int(),
  overdue: z.number().int().describe('open tasks past their due date'),
  escalated: z.number().int().describe('open tasks whose escalation level is above 0'),
});
type Counts = z.infer<typeof Counts>;

const OverdueTask = z.object({
  taskId: z.string(),
  processId: z.string(),
  processType: z.string(),
  title: z.string(),
  titleZh: z.string(),
  orgId: z.string(),
  orgName: z.string().optional(),
  orgNameZh: z.string().optional(),
  dueDate: z.string(),
  dueAt: z.string(),
  daysOverdue: z.number().int(),
  escalationLevel: z.number().int(),
});

export const Dashboard = z.object({
  root: z.object({ orgId: z.string(), name: z.string(), nameZh: z.string() }).nullable().describe('the subtree shown; null = everything (admin)'),
  asOf: z.string(),
  today: z.string(),
  dueThisWeekUntil: z.string().describe('last local date counted as due this week'),
  totals: Counts,
  byOrg: z.array(Counts.extend({ orgId: z.string(), name: z.string().optional(), nameZh: z.string().optional() })),
  byProcessType: z.array(Counts.extend({ processType: z.string() })),
  oldestOverdue: z.array(OverdueTask),
});
export type Dashboard = z.infer<typeof Dashboard>;

const DashboardQuery = z.object({
  orgId: z.string().min(1).optional().describe('root of the subtree to show (within the caller\'s scope); default: the whole scope'),
});

const zero = (): Counts => ({ openProcesses: 0, openTasks: 0, dueThisWeek: 0, overdue: 0, escalated: 0 });
const COUNT_KEYS = Object.keys(zero()) as Array<keyof Counts>;

/** The root org of the subtree shown (null: everything), or 404 for a root that is unknown or outside the scope. */
async function dashboardScope(models: Models, principal: Principal, orgId?: string): Promise<{ root: Org | null }> {
  const scopeRoot = await readScopeRoot(models, principal);
  const rootId = orgId ?? scopeRoot;
  if (rootId === null) return { root: null };
  const root = await loadOrg(models, rootId);
  if (!root || (scopeRoot !== null && !root.path.includes(scopeRoot))) throw notFound('organisation');
  return { root };
}

/** `processIndex`: the index, or the promise of it caught up (awaited beside the scope's lookups). */
export async function buildDashboard(deps: Pick<AppDeps, 'models'>, processIndex: Promise<ProcessIndex>, principal: Principal, orgId: string | undefined, now = Date.now()): Promise<Dashboard> {
  const [{ root }, index] = await Promise.all([dashboardScope(deps.models, principal, orgId), processIndex]);
  const today = localDateOf(now);
  const until = addDays(today, DUE_SOON_DAYS - 1);
  const dueSoonEnd = endOfDayMs(until);

  // The index keeps the counts per organisation × process type (read-model/open-work.ts);
  // only "due this week" depends on the hour, and is counted from the week's tasks.
  const open = index.openWork();
  const scope = root?._id ?? null;
  const cells = new Map<string, Map<string, Counts>>();
  const cell = (orgId: string, processType: string): Counts => {
    let ofOrg = cells.get(orgId);
    if (!ofOrg) cells.set(orgId, (ofOrg = new Map<string, Counts>()));
    let counts = ofOrg.get(processType);
    if (!counts) ofOrg.set(processType, (counts = zero()));
    return counts;
  };
  for (const c of open.cellsIn(scope)) {
    if (c.counts.openProcesses === 0 && c.counts.openTasks === 0) continue;
    const counts = cell(c.orgId, c.processType);
    for (const key of COUNT_KEYS) counts[key] += c.counts[key];
  }
  for (const [c, n] of open.dueBetween(scope, now, dueSoonEnd)) cell(c.orgId, c.processType).dueThisWeek += n;
  const oldest = open.oldestOverdue(scope, OLDEST_OVERDUE_LIMIT);

  const totals = zero();
  const byOrg = new Map<string, Counts>();
  const byType = new Map<string, Counts>();
  const addTo = <K>(map: Map<K, Counts>, k: K, counts: Counts) => {
    let sum = map.get(k);
    if (!sum) map.set(k, (sum = zero()));
    for (const key of COUNT_KEYS) sum[key] += counts[key];
  };
  for (const [orgId, ofOrg] of cells) {
    for (const [processType, counts] of ofOrg) {
      addTo(byOrg, orgId, counts);
      addTo(byType, processType, counts);
      for (const key of COUNT_KEYS) totals[key] += counts[key];
    }
  }

  const orgIds = [...new Set([...byOrg.keys(), ...oldest.map((t) => t.orgId)])];
  const held = await directory(deps.models);
  const names = new Map(orgIds.flatMap((id) => (held.org(id) ? [[id, held.org(id) as Org] as const] : [])));
  const nameOf = (id: string) => {
    const o = names.get(id);
    return o ? { name: o.name, nameZh: o.nameZh } : {};
  };

  return {
    root: root ? { orgId: root._id, name: root.name, nameZh: root.nameZh } : null,
    asOf: new Date(now).toISOString(),
    today,
    dueThisWeekUntil: until,
    totals,
    // Most overdue first: the organisations a supervisor should look at.
    byOrg: [...byOrg.entries()]
      .map(([id, c]) => ({ orgId: id, ...nameOf(id), ...c }))
      .sort((a, b) => b.overdue - a.overdue || b.openTasks - a.openTasks || a.orgId.localeCompare(b.orgId)),
    byProcessType: [...byType.entries()].map(([processType, c]) => ({ processType, ...c })).sort((a, b) => a.processType.localeCompare(b.processType)),
    oldestOverdue: oldest.map((t) => ({
      taskId: t._id,
      processId: t.processId,
      processType: t.processType,
      title: t.title,
      titleZh: t.titleZh,
      orgId: t.orgId,
      ...(names.get(t.orgId) ? { orgName: names.get(t.orgId)?.name, orgNameZh: names.get(t.orgId)?.nameZh } : {}),
      dueDate: t.dueDate,
      dueAt: t.dueAt.toISOString(),
      daysOverdue: Math.max(0, Math.floor((now - t.dueAt.getTime()) / 86_400_000)),
      escalationLevel: t.escalationLevel ?? 0,
    })),
  };
}

export function dashboardEndpoints(api: Endpoints, deps: AppDeps): void {
  api.add(
    {
      method: 'get',
      path: '/api/v1/dashboard',
      summary: 'Overdue dashboard of a subtree: open, due this week, overdue and escalated by organisation and process type; oldest overdue tasks',
      tag: 'dashboard',
      access: 'authenticated',
      query: DashboardQuery,
      response: { status: 200, description: 'counts for the subtree', schema: Dashboard },
      errors: [403, 404],
    },
    async ({ query, principal, res }) => {
      requireRole(principal, ['supervisor', 'caseOfficer', 'admin']);
      return buildDashboard(deps, currentIndex(deps.processIndex, res), principal, query.orgId);
    },
  );
}
