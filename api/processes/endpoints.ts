/** A process's state (elements for the diagram, open tasks) and its readable history. */
import { z } from 'zod';
import type { Endpoints, Principal } from '../http/endpoint.js';
import type { AppDeps } from '../app.js';
import { notFound } from '../http/errors.js';
import { canRead } from '../auth/access.js';
import { cancelProcessUpdate, processStateQuery, type ProcessState } from '../../workflows/messages.js';
import { toApiError } from './temporal-errors.js';
import type { ProcessSummary } from '../../models/process-summary.js';
import { processHistory } from '../../activities/audit.js';
import { describeEntry } from './history-text.js';
import { actorOf } from '../auth/tokens.js';
import { ProcessSummaryView } from './search.js';

const ElementStates = z.object({ active: z.array(z.string()), done: z.array(z.string()), overdue: z.array(z.string()) });

const OpenTask = z.object({
  taskId: z.string(),
  elementId: z.string(),
  title: z.string(),
  titleZh: z.string(),
  assigneeOrgId: z.string(),
  dueDate: z.string(),
  dueAt: z.string(),
  overdue: z.boolean(),
  escalationLevel: z.number(),
});

// The summary's identity fields, then what only the workflow itself can say.
const ProcessView = ProcessSummaryView.pick({ processId: true, processType: true, title: true, orgId: true, status: true, startedAt: true, endedAt: true }).extend({
  elements: ElementStates,
  openTasks: z.array(OpenTask),
  details: z.record(z.string(), z.unknown()),
  cancelReason: z.string().optional(),
  temporalUiUrl: z.string().optional().describe('admins only: the workflow in the Temporal UI, which has no login of its own'),
});

const HistoryEntry = z.object({
  at: z.string(),
  action: z.string(),
  text: z.string(),
  elementId: z.string().optional(),
  actor: z.object({ kind: z.string(), sub: z.string().optional(), role: z.string().optional(), orgId: z.string().optional(), personId: z.string().optional().describe('the person who acted, where the account names one') }),
  details: z.record(z.string(), z.unknown()).optional(),
});

export async function loadVisibleSummary(deps: AppDeps, principal: Principal, id: string): Promise<ProcessSummary> {
  const summary = await deps.models.ProcessSummary.findById(id).lean<ProcessSummary>();
  if (!summary || !(await canRead(deps.models, principal, { _id: summary.orgId, path: summary.orgPath }))) {
    // A unit also sees a process that has a task assigned to it (asked of the process index:
    // the database would read every task to answer).
    const assigned = summary && (await deps.processIndex.current()).findTasks({ processId: id, orgId: principal.orgId }).length > 0;
    if (!summary || !assigned) throw notFound('process');
  }
  return summary;
}

/**
 * The live state of a process the caller may see, from its workflow (a closed workflow
 * answers too). `processType` narrows it: another type is "not found".
 */
export async function readVisibleProcess(deps: AppDeps, principal: Principal, id: string, processType?: string): Promise<ProcessState> {
  const summary = await loadVisibleSummary(deps, principal, id);
  if (processType && summary.processType !== processType) throw notFound(processType);
  try {
    return await deps.temporal.workflow.getHandle(id).query(processStateQuery);
  } catch (err) {
    throw toApiError(err);
  }
}

const Id = z.object({ id: z.string().min(1) });

export function processEndpoints(api: Endpoints, deps: AppDeps): void {
  /** The workflow in the Temporal UI, for an admin only: the UI has no login, so nobody else is sent there. */
  const uiLink = (principal: Principal, id: string) =>
    principal.role === 'admin'
      ? { temporalUiUrl: `${deps.config.TEMPORAL_UI_URL}/namespaces/${encodeURIComponent(deps.config.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(id)}` }
      : {};

  api.add(
    {
      method: 'get',
      path: '/api/v1/processes/{id}',
      summary: 'A process: type, status, active/done/overdue elements, open tasks and deadlines',
      tag: 'processes',
      access: 'authenticated',
      params: Id,
      response: { status: 200, description: 'the process as its workflow reports it', schema: ProcessView },
      errors: [404],
    },
    async ({ params, principal }) => {
      const state = await readVisibleProcess(deps, principal, params.id);
      return {
        processId: state.processId,
        processType: state.processType,
        title: state.title,
        orgId: state.orgId,
        status: state.status,
        startedAt: state.startedAt,
        ...(state.endedAt ? { endedAt: state.endedAt } : {}),
        elements: state.elements,
        openTasks: state.tasks
          .filter((t) => t.status === 'open')
          .map((t) => ({
            taskId: t.taskId,
            elementId: t.elementId,
            title: t.title,
            titleZh: t.titleZh,
            assigneeOrgId: t.assignee.orgId,
            dueDate: t.dueDate,
            dueAt: t.dueAt,
            overdue: t.overdue,
            escalationLevel: t.escalationLevel,
          })),
        details: state.details,
        ...(state.cancelReason ? { cancelReason: state.cancelReason } : {}),
        ...uiLink(principal, params.id),
      };
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/processes/{id}/history',
      summary: 'The readable timeline of a process: each step, who did it and when, late or not',
      tag: 'processes',
      access: 'authenticated',
      params: Id,
      response: { status: 200, description: 'oldest first', schema: z.object({ processId: z.string(), temporalUiUrl: z.string().optional().describe('admins only'), entries: z.array(HistoryEntry) }) },
      errors: [404],
    },
    async ({ params, principal }) => {
      await loadVisibleSummary(deps, principal, params.id);
      const entries = await processHistory(deps.models, params.id);
      return {
        processId: params.id,
        ...uiLink(principal, params.id),
        entries: entries.map((e) => ({
          at: e.at.toISOString(),
          action: e.action,
          text: describeEntry(e),
          ...(e.elementId ? { elementId: e.elementId } : {}),
          actor: {
            kind: e.actor?.kind ?? 'system',
            ...(e.actor?.sub ? { sub: e.actor.sub } : {}),
            ...(e.actor?.role ? { role: e.actor.role } : {}),
            ...(e.actor?.orgId ? { orgId: e.actor.orgId } : {}),
            ...(e.actor?.personId ? { personId: e.actor.personId } : {}),
          },
          ...(e.details ? { details: e.details as Record<string, unknown> } : {}),
        })),
      };
    },
  );

  api.add(
    {
      method: 'post',
      path: '/api/v1/processes/{id}/cancel',
      summary: 'Cancel a process with a reason (its issuer\'s case officers only)',
      tag: 'processes',
      access: 'authenticated',
      roles: ['caseOfficer', 'admin'],
      idempotent: true,
      params: Id,
      body: z.object({ reason: z.string().trim().min(1).max(2_000) }),
      response: { status: 200, description: 'the process after cancellation', schema: z.object({ processId: z.string(), status: z.string(), cancelReason: z.string() }) },
      errors: [403, 404, 409],
    },
    async ({ params, body, principal }) => {
      await loadVisibleSummary(deps, principal, params.id);
      try {
        const state = await deps.temporal.workflow.getHandle(params.id).executeUpdate(cancelProcessUpdate, {
          args: [{ actor: actorOf(principal), reason: body.reason }],
        });
        return { processId: state.processId, status: state.status, cancelReason: state.cancelReason ?? body.reason };
      } catch (err) {
        throw toApiError(err);
      }
    },
  );
}
