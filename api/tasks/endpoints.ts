/** The inbox: units find what they owe and complete steps; the owning workflow decides. */
import { z } from 'zod';
import type { Endpoints, Principal } from '../http/endpoint.js';
import type { AppDeps } from '../app.js';
import { ApiError, forbidden, notFound } from '../http/errors.js';
import { keyedId } from '../http/idempotency.js';
import { inputDateRange } from '../http/dates.js';
import { canRead, scopeFilter } from '../auth/access.js';
import { completeTask } from './completion.js';
import { checkNamedPeople } from './named-people.js';
import { mayComplete } from '../../domain/tasks.js';
import type { TaskRecord } from '../../models/task.js';
import { Page, PageQuery, LocalDateParam, BooleanParam } from '../http/schemas.js';
import { currentIndex } from '../http/read-model.js';
import { actorOf } from '../auth/tokens.js';

export const TaskView = z.object({
  id: z.string(),
  processId: z.string(),
  processType: z.string(),
  elementId: z.string(),
  form: z.string(),
  title: z.string(),
  titleZh: z.string(),
  assignee: z.object({ orgId: z.string(), roles: z.array(z.string()), personId: z.string().optional() }),
  dueDate: z.string(),
  dueAt: z.string(),
  status: z.enum(['open', 'completed', 'cancelled']),
  overdue: z.boolean(),
  late: z.boolean(),
  escalationLevel: z.number(),
  context: z.unknown().optional(),
  createdAt: z.string(),
  completedAt: z.string().optional(),
  completedBy: z.object({ sub: z.string(), role: z.string(), orgId: z.string(), personId: z.string().optional() }).optional(),
  result: z.unknown().optional(),
  process: z.object({ title: z.string(), orgId: z.string().describe('the organisation the process is about') }).optional().describe('in lists: the process the task belongs to'),
});
export type TaskView = z.infer<typeof TaskView>;

export function toTaskView(t: TaskRecord): TaskView {
  return {
    id: t._id,
    processId: t.processId,
    processType: t.processType,
    elementId: t.elementId,
    form: t.form,
    title: t.title,
    titleZh: t.titleZh,
    assignee: { orgId: t.assignee.orgId, roles: t.assignee.roles, ...(t.assignee.personId ? { personId: t.assignee.personId } : {}) },
    dueDate: t.dueDate,
    dueAt: t.dueAt.toISOString(),
    status: t.status,
    overdue: t.overdue ?? false,
    late: t.late ?? false,
    escalationLevel: t.escalationLevel ?? 0,
    ...(t.context ? { context: t.context } : {}),
    createdAt: t.createdAt.toISOString(),
    ...(t.completedAt ? { completedAt: t.completedAt.toISOString() } : {}),
    ...(t.completedBy?.sub
      ? { completedBy: { sub: t.completedBy.sub, role: t.completedBy.role ?? '', orgId: t.completedBy.orgId ?? '', ...(t.completedBy.personId ? { personId: t.completedBy.personId } : {}) } }
      : {}),
    ...(t.result !== undefined ? { result: t.result } : {}),
  };
}

const TaskQuery = PageQuery.extend({
  orgId: z.string().min(1).optional().describe('assignee organisation (within the caller\'s scope)'),
  status: z.enum(['open', 'completed', 'cancelled']).optional(),
  overdue: BooleanParam.optional(),
  processType: z.string().min(1).optional(),
  processId: z.string().min(1).optional(),
  dueBefore: LocalDateParam.optional().describe('due on or before this local date'),
  dueAfter: LocalDateParam.optional().describe('due on or after this local date'),
});

const CompleteBody = z.object({
  payload: z.record(z.string(), z.unknown()).describe('the completed form; its fields depend on the task\'s `form`'),
});

const Completion = z.object({
  taskId: z.string(),
  status: z.literal('completed'),
  completedAt: z.string(),
  late: z.boolean(),
  completedBy: z.object({ sub: z.string(), role: z.string(), orgId: z.string(), personId: z.string().optional() }),
  result: z.unknown(),
});


async function loadVisibleTask(deps: AppDeps, principal: Principal, id: string): Promise<TaskRecord> {
  const task = await deps.models.Task.findById(id).lean<TaskRecord>();
  if (!task || !(await canRead(deps.models, principal, { _id: task.orgId, path: task.orgPath }))) throw notFound('task');
  return task;
}

export function taskEndpoints(api: Endpoints, deps: AppDeps): void {
  api.add(
    {
      method: 'get',
      path: '/api/v1/tasks',
      summary: 'The inbox: tasks within the caller\'s scope (a unit: its own organisation\'s)',
      tag: 'tasks',
      access: 'authenticated',
      query: TaskQuery,
      response: { status: 200, description: 'a page of tasks, earliest due first', schema: Page(TaskView) },
    },
    async ({ query, principal, res }) => {
      const [scope, index] = await Promise.all([scopeFilter(deps.models, principal), currentIndex(deps.processIndex, res)]);
      const filter: Record<string, unknown> = { ...scope };
      if (query.orgId) {
        if ('orgId' in filter && filter.orgId !== query.orgId) return { items: [], total: 0, limit: query.limit, offset: query.offset };
        filter.orgId = query.orgId;
      }
      if (query.status) filter.status = query.status;
      if (query.overdue !== undefined) filter.overdue = query.overdue;
      if (query.processType) filter.processType = query.processType;
      if (query.processId) filter.processId = query.processId;
      if (query.dueBefore || query.dueAfter) {
        filter.dueDate = { ...(query.dueBefore ? { $lte: query.dueBefore } : {}), ...(query.dueAfter ? { $gte: query.dueAfter } : {}) };
      }
      // Matched and ordered in the index; the page's whole records (forms, context, results)
      // from the index's memory or by `_id`, the one lookup FerretDB answers without a scan.
      const { page, total } = index.pageOfTasks(filter, query.offset, query.limit);
      const records = await index.taskRecords(page.map((t) => t._id));
      // A record may have moved on since the index read it (completed a moment ago): it is shown as it is now, if it still fits.
      const items = records
        .filter((t) => !query.status || t.status === query.status)
        .map((t) => {
          // The process each task belongs to, by name and subject organisation, so inbox rows can be told apart.
          const summary = index.summary(t.processId);
          return { ...toTaskView(t), ...(summary ? { process: { title: summary.title, orgId: summary.orgId } } : {}) };
        });
      return { items, total, limit: query.limit, offset: query.offset };
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/tasks/{id}',
      summary: 'One task',
      tag: 'tasks',
      access: 'authenticated',
      params: z.object({ id: z.string().min(1) }),
      response: { status: 200, description: 'the task', schema: TaskView },
      errors: [404],
    },
    async ({ params, principal }) => toTaskView(await loadVisibleTask(deps, principal, params.id)),
  );

  api.add(
    {
      method: 'post',
      path: '/api/v1/tasks/{id}/complete',
      summary: 'Complete a task: the payload is checked against the task\'s form, then the owning process checks the actor, the task\'s state and its rules',
      tag: 'tasks',
      access: 'authenticated',
      idempotent: true,
      params: z.object({ id: z.string().min(1) }),
      body: CompleteBody,
      response: { status: 200, description: 'the completion as the process recorded it', schema: Completion },
      errors: [403, 404, 409, 422],
    },
    async ({ params, body, principal, req }) => {
      const task = await deps.models.Task.findById(params.id).lean<TaskRecord>();
      if (!task) throw notFound('task');
      // Only the assignee's own organisation may even try; the workflow checks the rest.
      if (principal.orgId !== task.orgId && principal.role !== 'admin') throw forbidden('this task is assigned to another organisation');
      // Temporal deduplicates updates by ID: a repeated key has one effect, also after a crash between the update and the answer.
      const updateId = keyedId(`complete:${task._id}`, principal, req.header('idempotency-key'));
      // A person the form names must hold a post where the form says (422); a closed task or
      // another actor is answered first by the completion (409/403), as for a payload that does not fit.
      if (task.status === 'open' && mayComplete(task.assignee, actorOf(principal))) await checkNamedPeople(deps.models, task.form, body.payload, task.assignee.orgId);
      // The form is checked here (400 with the zod issues), the rest by the workflow's validator.
      return completeTask(deps.temporal, task, actorOf(principal), body.payload, updateId, () => inputDateRange(deps.models));
    },
  );
}

export { ApiError };
