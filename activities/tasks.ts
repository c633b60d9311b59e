/**
 * Inbox records of user tasks. The workflow decides; these write what it decided,
 * idempotently: every write is conditional or keyed so a retried activity changes
 * nothing twice.
 */
import type { Models } from '../models/index.js';
import type { Actor, TaskState } from '../domain/tasks.js';
import type { EscalationStep } from '../domain/escalation.js';
import { appendAuditEntry } from './audit.js';
import { appendChange } from '../read-model/change-log.js';
import { insertOnce, updateByIdWhen } from '../models/db.js';
import type { TaskRecord } from '../models/task.js';

export interface TaskProcessRef {
  processId: string;
  processType: string;
}

/** One audit entry about a task, keyed `<taskId>:<suffix>` so a retried activity appends it once. */
function auditTask(
  models: Models,
  ref: TaskProcessRef,
  task: TaskState,
  entry: { suffix: string; action: string; at: string; details: Record<string, unknown>; actor?: Actor },
): Promise<void> {
  return appendAuditEntry(models, {
    entryId: `${task.taskId}:${entry.suffix}`,
    at: entry.at,
    actor: entry.actor ? { kind: 'user', ...entry.actor } : { kind: 'system' },
    action: entry.action,
    target: { kind: 'task', id: task.taskId },
    orgId: task.assignee.orgId,
    orgPath: task.orgPath,
    processId: ref.processId,
    elementId: task.elementId,
    outcome: 'ok',
    details: entry.details,
  });
}

type TaskCondition = (current: TaskRecord) => boolean;

/**
 * Writes a task record, addressed by `_id` only (models/db.ts `updateByIdWhen`): the update
 * applies where the record exists and `when` holds. Then it appends the change to the
 * read-model log, so the API's process index reads the record again.
 */
async function updateTaskRecord(models: Models, taskId: string, when: TaskCondition, update: Record<string, unknown>): Promise<void> {
  await updateByIdWhen<TaskRecord>(models.Task, taskId, (current) => current !== null && when(current), update);
  await appendChange(models, { kind: 'task', id: taskId });
}

const isOpen: TaskCondition = (t) => t.status === 'open';
const always: TaskCondition = () => true;

export async function openTaskRecord(models: Models, ref: TaskProcessRef, task: TaskState): Promise<void> {
  // One insert by `_id`; a retry finds its first attempt's record and leaves it as it is.
  await insertOnce(models.Task.collection, {
    _id: task.taskId,
    processId: ref.processId,
    processType: ref.processType,
    elementId: task.elementId,
    form: task.form,
    title: task.title,
    titleZh: task.titleZh,
    assignee: task.assignee,
    orgId: task.assignee.orgId,
    orgPath: task.orgPath,
    dueDate: task.dueDate,
    dueAt: new Date(task.dueAt),
    status: 'open',
    overdue: false,
    escalationLevel: 0,
    context: task.context,
    createdAt: new Date(task.createdAt),
  });
  await appendChange(models, { kind: 'task', id: task.taskId });
  await auditTask(models, ref, task, { suffix: 'opened', action: 'task.opened', at: task.createdAt, details: { title: task.title, titleZh: task.titleZh, dueDate: task.dueDate, assignee: task.assignee } });
}

export async function completeTaskRecord(models: Models, ref: TaskProcessRef, task: TaskState): Promise<void> {
  const completedBy = task.completedBy as Actor;
  await updateTaskRecord(
    models,
    task.taskId,
    isOpen,
    { $set: { status: 'completed', completedAt: new Date(task.completedAt as string), completedBy, late: task.late ?? false, result: task.result } },
  );
  await auditTask(models, ref, task, { suffix: 'completed', action: 'task.completed', at: task.completedAt as string, actor: completedBy, details: { title: task.title, titleZh: task.titleZh, late: task.late ?? false, dueDate: task.dueDate } });
}

export async function cancelTaskRecord(models: Models, ref: TaskProcessRef, task: TaskState, reason: string, at: string): Promise<void> {
  await updateTaskRecord(models, task.taskId, isOpen, { $set: { status: 'cancelled', cancelReason: reason } });
  await auditTask(models, ref, task, { suffix: 'cancelled', action: 'task.cancelled', at, details: { reason } });
}

export async function markTaskOverdueRecord(models: Models, ref: TaskProcessRef, task: TaskState, at: string): Promise<void> {
  await updateTaskRecord(models, task.taskId, always, { $set: { overdue: true } });
  await auditTask(models, ref, task, { suffix: 'overdue', action: 'task.overdue', at, details: { dueDate: task.dueDate } });
}

export async function recordReminder(models: Models, ref: TaskProcessRef, task: TaskState, daysBefore: number, at: string): Promise<void> {
  await auditTask(models, ref, task, { suffix: `reminder:${daysBefore}`, action: 'task.reminded', at, details: { daysBefore, dueDate: task.dueDate } });
}

/** Records an escalation step; a proposal step also files the proposal for a case officer. */
export async function recordEscalation(
  models: Models,
  ref: TaskProcessRef,
  task: TaskState,
  level: number,
  step: EscalationStep,
  at: string,
): Promise<{ proposalId?: string }> {
  await updateTaskRecord(models, task.taskId, (t) => (t.escalationLevel ?? 0) < level, { $set: { escalationLevel: level } });
  let proposalId: string | undefined;
  if (step.action === 'proposeInterview' || step.action === 'proposeCase') {
    proposalId = `${task.taskId}:escalation:${level}`;
    await models.Proposal.updateOne(
      { _id: proposalId },
      {
        $setOnInsert: {
          kind: step.action === 'proposeInterview' ? 'interview' : 'case',
          status: 'open',
          articles: step.articles,
          subjectOrgId: task.assignee.orgId,
          deciderOrgId: task.deciderOrgId,
          orgPath: task.orgPath,
          sourceProcessId: ref.processId,
          sourceTaskId: task.taskId,
          // Chinese first: the reason is shown to case officers and becomes an opened interview's reason.
          reason: `「${task.titleZh}」${task.dueDate}到期，已逾期${step.afterDaysOverdue}天（"${task.title}" was due ${task.dueDate} and is ${step.afterDaysOverdue} days overdue）`,
          createdAt: new Date(at),
        },
      },
      { upsert: true },
    );
  }
  await auditTask(models, ref, task, { suffix: `escalation:${level}`, action: 'task.escalated', at, details: { level, action: step.action, afterDaysOverdue: step.afterDaysOverdue, articles: step.articles, proposalId } });
  return proposalId ? { proposalId } : {};
}
