/**
 * Completing a task: the one way a completion reaches a workflow. The payload is parsed
 * here with the task's form (zod, domain/forms.ts) and the *parsed* payload is sent as the
 * workflow's completeTask update, whose validator then checks what only the process knows
 * (the task is open, the actor may complete it, the process's own rules). The API's
 * complete endpoint and the history recorder (scripts/record-histories.ts) both call it.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { formSchema, parseFormPayload } from '../../domain/forms.js';
import type { DateRange } from '../../domain/date-input.js';
import { checkInputDates } from '../http/dates.js';
import { mayComplete, type Actor, type TaskOutcome, type TaskStatus } from '../../domain/tasks.js';
import { completeTaskUpdate } from '../../workflows/messages.js';
import { ApiError, conflict, forbidden } from '../http/errors.js';
import { toApiError } from '../processes/temporal-errors.js';

/** What the completion needs of the task's record. */
export interface CompletionTarget {
  _id: string;
  processId: string;
  form: string;
  status: TaskStatus;
  assignee: { orgId: string; roles: string[]; personId?: string | null };
}

/**
 * The payload as the task's form parses it. A payload that does not fit is 400 with the
 * zod issues, unless the record already shows the task closed (409) or the actor not its
 * assignee (403): the workflow's validator answers those first, and a wrong payload must
 * not hide them.
 */
export function completionPayload(task: CompletionTarget, actor: Actor, payload: unknown): Record<string, unknown> {
  const parsed = parseFormPayload(task.form, payload);
  if (parsed.ok) return parsed.payload;
  if (task.status !== 'open') throw conflict(`the task is ${task.status}`);
  if (!mayComplete(task.assignee, actor)) throw forbidden('this task is assigned to somebody else');
  throw new ApiError('invalid_input', parsed.message, parsed.issues);
}

/**
 * Validates the payload, then sends the update; the workflow's rejections become the
 * API's errors (403/404/409/422). `updateId` deduplicates a repeated request in Temporal.
 */
export async function completeTask(
  temporal: Client,
  task: CompletionTarget,
  actor: Actor,
  payload: unknown,
  updateId = `complete:${randomUUID()}`,
  /** The range the payload's dates must lie in (api/http/dates.ts); the API always gives it. */
  dateRange?: () => Promise<DateRange>,
): Promise<TaskOutcome> {
  // The record is written by the process before a completion answers, so a closed record is
  // final: 409 at once. Asking the workflow instead would answer 404 once the process has ended.
  if (task.status !== 'open') throw conflict(`the task is ${task.status}`);
  const parsed = completionPayload(task, actor, payload);
  if (dateRange) await checkInputDates(dateRange, [{ where: 'payload', schema: formSchema(task.form), value: parsed }]);
  try {
    return await temporal.workflow.getHandle(task.processId).executeUpdate(completeTaskUpdate, { args: [{ taskId: task._id, actor, payload: parsed }], updateId });
  } catch (err) {
    throw toApiError(err);
  }
}
