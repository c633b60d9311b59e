/**
 * Process search for supervisors and the console, served from the process summaries that
 * activities keep current in MongoDB, as the API's in-memory process index holds them
 * (read-model/process-index.ts; docs/decisions.md, "Search, dashboard and diagrams").
 */
import { z } from 'zod';
import type { Endpoints, Principal } from '../http/endpoint.js';
import type { AppDeps } from '../app.js';
import type { Models } from '../../models/index.js';
import type { ProcessSummary } from '../../models/process-summary.js';
import { loadOrg, readScopeRoot } from '../auth/access.js';
import { BooleanParam, LocalDateParam, Page, PageQuery } from '../http/schemas.js';
import { endOfDayMs, localDateOf, startOfDayMs } from '../../domain/calendar.js';
import { currentIndex } from '../http/read-model.js';
import { enumNames, label, orgPicker } from '../../domain/form-meta.js';

/** The process types a person can search by, named (the parameter stays a free string: a type added later is still searchable). */
const PROCESS_TYPE_NAMES = enumNames({
  rectification: { zh: '整改', en: 'Rectification' },
  interview: { zh: '约谈', en: 'Interview' },
  'accountability-case': { zh: '责任追究', en: 'Accountability case' },
  'disciplinary-case': { zh: '纪律审查', en: 'Disciplinary case' },
  'obligation-cycle': { zh: '履责周期', en: 'Obligation cycle' },
  'obligation-period': { zh: '履责事项', en: 'Obligation period' },
});

export const ProcessSummaryView = z.object({
  processId: z.string(),
  processType: z.string(),
  title: z.string(),
  orgId: z.string(),
  status: z.enum(['running', 'completed', 'cancelled', 'failed']),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  activeElements: z.array(z.string()),
  openTasks: z.number().int(),
  overdue: z.boolean(),
  nextDueAt: z.string().optional(),
  nextDueDate: z.string().optional().describe('local date (Asia/Shanghai) of nextDueAt'),
  escalationLevel: z.number().int(),
});
export type ProcessSummaryView = z.infer<typeof ProcessSummaryView>;

export function toSummaryView(s: ProcessSummary): ProcessSummaryView {
  return {
    processId: s._id,
    processType: s.processType,
    title: s.title,
    orgId: s.orgId,
    status: s.status,
    startedAt: s.startedAt.toISOString(),
    ...(s.endedAt ? { endedAt: s.endedAt.toISOString() } : {}),
    activeElements: s.activeElements ?? [],
    openTasks: s.openTasks ?? 0,
    overdue: s.overdue ?? false,
    ...(s.nextDueAt ? { nextDueAt: s.nextDueAt.toISOString(), nextDueDate: localDateOf(s.nextDueAt) } : {}),
    escalationLevel: s.escalationLevel ?? 0,
  };
}

export const SearchQuery = PageQuery.extend({
  type: z
    .string()
    .min(1)
    .optional()
    .meta({ ...label('流程类型', 'Process type', { zh: '如 整改', en: 'process type, e.g. rectification' }), ...PROCESS_TYPE_NAMES }),
  subtreeOf: z
    .string()
    .min(1)
    .optional()
    .meta({ ...label('单位（含下级）', 'Under', { zh: '该单位及其下级单位的流程', en: 'an organisation: its processes and those of everything below it (within the caller\'s scope)' }), ...orgPicker() }),
  orgId: z.string().min(1).optional().meta({ ...label('单位', 'Organisation', { zh: '仅该单位', en: 'exactly this organisation' }), ...orgPicker() }),
  status: z
    .enum(['running', 'completed', 'cancelled', 'failed'])
    .optional()
    .meta({
      ...label('状态', 'Status'),
      ...enumNames({ running: { zh: '运行中', en: 'Running' }, completed: { zh: '已完成', en: 'Completed' }, cancelled: { zh: '已撤销', en: 'Cancelled' }, failed: { zh: '失败', en: 'Failed' } }),
    }),
  overdue: BooleanParam.optional().meta({ ...label('是否逾期', 'Overdue'), ...enumNames({ true: { zh: '已逾期', en: 'Overdue' }, false: { zh: '未逾期', en: 'Not overdue' } }) }),
  dueAfter: LocalDateParam.optional().meta(label('下一期限起', 'Due from', { zh: '下一期限不早于', en: 'next due on or after this local date' })),
  dueBefore: LocalDateParam.optional().meta(label('下一期限止', 'Due until', { zh: '下一期限不晚于', en: 'next due on or before this local date' })),
  startedAfter: LocalDateParam.optional().meta(label('发起日期起', 'Started from', { zh: '发起日期不早于', en: 'started on or after this local date' })),
  startedBefore: LocalDateParam.optional().meta(label('发起日期止', 'Started until', { zh: '发起日期不晚于', en: 'started on or before this local date' })),
  sort: z
    .enum(['startedAt', 'nextDueAt'])
    .default('startedAt')
    .meta({ ...label('排序', 'Sort by'), ...enumNames({ startedAt: { zh: '发起时间', en: 'Started' }, nextDueAt: { zh: '下一期限', en: 'Next due' } }) }),
  order: z.enum(['asc', 'desc']).default('desc').meta({ ...label('顺序', 'Order'), ...enumNames({ asc: { zh: '从早到晚', en: 'Ascending' }, desc: { zh: '从晚到早', en: 'Descending' } }) }),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

/**
 * The Mongo filter on `orgPath`/`orgId` for "the caller's scope, narrowed to the subtree of
 * `subtreeOf`", or null when the two do not meet (an out-of-scope or unknown organisation
 * gives an empty answer, never other organisations' data).
 */
export async function scopedSubtreeFilter(models: Models, principal: Principal, subtreeOf?: string): Promise<Record<string, unknown> | null> {
  const root = await readScopeRoot(models, principal);
  const ownOnly = principal.role === 'unit' || principal.role === 'leader';
  if (!subtreeOf) return root === null ? {} : ownOnly ? { orgId: root } : { orgPath: root };
  const sub = await loadOrg(models, subtreeOf);
  if (!sub) return null;
  if (root === null) return { orgPath: sub._id };
  if (ownOnly) {
    // A unit sees its own organisation's processes only; a subtree that holds it still gives those.
    const own = await loadOrg(models, root);
    return own?.path.includes(sub._id) ? { orgId: root } : null;
  }
  if (sub.path.includes(root)) return { orgPath: sub._id };
  // Asking for an ancestor of one's scope narrows to the scope itself.
  const scope = await loadOrg(models, root);
  return scope?.path.includes(sub._id) ? { orgPath: root } : null;
}

/** The whole search filter, or null when it can match nothing the caller may see. */
export async function searchFilter(models: Models, principal: Principal, query: Omit<SearchQuery, 'limit' | 'offset' | 'sort' | 'order'>): Promise<Record<string, unknown> | null> {
  const scoped = await scopedSubtreeFilter(models, principal, query.subtreeOf);
  if (!scoped) return null;
  const filter: Record<string, unknown> = { ...scoped };
  if (query.orgId) {
    if ('orgId' in filter && filter.orgId !== query.orgId) return null;
    // Within the scope: orgPath (if any) stays, so an org outside it matches nothing.
    filter.orgId = query.orgId;
  }
  if (query.type) filter.processType = query.type;
  if (query.status) filter.status = query.status;
  if (query.overdue !== undefined) filter.overdue = query.overdue;
  if (query.dueAfter || query.dueBefore) {
    filter.nextDueAt = {
      ...(query.dueAfter ? { $gte: new Date(startOfDayMs(query.dueAfter)) } : {}),
      ...(query.dueBefore ? { $lte: new Date(endOfDayMs(query.dueBefore)) } : {}),
    };
  }
  if (query.startedAfter || query.startedBefore) {
    filter.startedAt = {
      ...(query.startedAfter ? { $gte: new Date(startOfDayMs(query.startedAfter)) } : {}),
      ...(query.startedBefore ? { $lte: new Date(endOfDayMs(query.startedBefore)) } : {}),
    };
  }
  return filter;
}

export function processSearchEndpoints(api: Endpoints, deps: AppDeps): void {
  api.add(
    {
      method: 'get',
      path: '/api/v1/processes',
      summary: 'Search processes within the caller\'s scope: type, subtree, status, overdue, due and start ranges; sorted and paged',
      tag: 'processes',
      access: 'authenticated',
      query: SearchQuery,
      response: { status: 200, description: 'a page of process summaries', schema: Page(ProcessSummaryView) },
    },
    async ({ query, principal, res }) => {
      const [filter, index] = await Promise.all([searchFilter(deps.models, principal, query), currentIndex(deps.processIndex, res)]);
      if (!filter) return { items: [], total: 0, limit: query.limit, offset: query.offset };
      const { page, total } = index.pageOfSummaries(filter, query.sort, query.order, query.offset, query.limit);
      return { items: page.map(toSummaryView), total, limit: query.limit, offset: query.offset };
    },
  );
}
