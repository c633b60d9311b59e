/**
 * Inbox records of user tasks. The workflow decides; these write what it decided,
 * idempotently: every write is conditional or keyed so a retried activity changes
 * nothing twice.
 */
import type { Models } from '../models/index.js';
import type { Actor, TaskState } from '../domain/tasks.js';
import type { EscalationStep } from '../domain/escalation.js';
import { appendAuditEntry } from './audit.js';

export interface TaskProcessRef {
  processId: string;
  processType: string;
}

export async function openTaskRecord(models: Models, ref: TaskProcessRef, task: TaskState): Promise<void> {
  await models.Task.updateOne(
    { _id: task.taskId },
    {
      $setOnInsert: {
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
      },
    },
    { upsert: true },
  );
  await appendAuditEntry(models, {
    entryId: `${task.taskId}:opened`,
    at: task.createdAt,
    actor: { kind: 'system' },
    action: 'task.opened',
    target: { kind: 'task', id: task.taskId },
    orgId: task.assignee.orgId,
    orgPath: task.orgPath,
    processId: ref.processId,
    elementId: task.elementId,
    outcome: 'ok',
    details: { title: task.title, dueDate: task.dueDate, assignee: task.assignee },
  });
}

export async function completeTaskRecord(models: Models, ref: TaskProcessRef, task: TaskState): Promise<void> {
  const completedBy = task.completedBy as Actor;
  await models.Task.updateOne(
    { _id: task.taskId, status: 'open' },
    { $set: { status: 'completed', completedAt: new Date(task.completedAt as string), completedBy, late: task.late ?? false, result: task.result } },
  );
  await appendAuditEntry(models, {
    entryId: `${task.taskId}:completed`,
    at: task.completedAt as string,
    actor: { kind: 'user', ...completedBy },
    action: 'task.completed',
    target: { kind: 'task', id: task.taskId },
    orgId: task.assignee.orgId,
    orgPath: task.orgPath,
    processId: ref.processId,
    elementId: task.elementId,
    outcome: 'ok',
    details: { late: task.late ?? false, dueDate: task.dueDate },
  });
}

export async function cancelTaskRecord(models: Models, ref: TaskProcessRef, task: TaskState, reason: string, at: string): Promise<void> {
  await models.Task.updateOne({ _id: task.taskId, status: 'open' }, { $set: { status: 'cancelled', cancelReason: reason } });
  await appendAuditEntry(models, {
    entryId: `${task.taskId}:cancelled`,
    at,
    actor: { kind: 'system' },
    action: 'task.cancelled',
    target: { kind: 'task', id: task.taskId },
    orgId: task.assignee.orgId,
    orgPath: task.orgPath,
    processId: ref.processId,
    elementId: task.elementId,
    outcome: 'ok',
    details: { reason },
  });
}

export async function markTaskOverdueRecord(models: Models, ref: TaskProcessRef, task: TaskState, at: string): Promise<void> {
  await models.Task.updateOne({ _id: task.taskId }, { $set: { overdue: true } });
  await appendAuditEntry(models, {
    entryId: `${task.taskId}:overdue`,
    at,
    actor: { kind: 'system' },
    action: 'task.overdue',
    target: { kind: 'task', id: task.taskId },
    orgId: task.assignee.orgId,
    orgPath: task.orgPath,
    processId: ref.processId,
    elementId: task.elementId,
    outcome: 'ok',
    details: { dueDate: task.dueDate },
  });
}

export async function recordReminder(models: Models, ref: TaskProcessRef, task: TaskState, daysBefore: number, at: string): Promise<void> {
  await appendAuditEntry(models, {
    entryId: `${task.taskId}:reminder:${daysBefore}`,
    at,
    actor: { kind: 'system' },
    action: 'task.reminded',
    target: { kind: 'task', id: task.taskId },
    orgId: task.assignee.orgId,
    orgPath: task.orgPath,
    processId: ref.processId,
    elementId: task.elementId,
    outcome: 'ok',
    details: { daysBefore, dueDate: task.dueDate },
  });
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
  await models.Task.updateOne({ _id: task.taskId, escalationLevel: { $lt: level } }, { $set: { escalationLevel: level } });
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
          reason: `"${task.title}" was due ${task.dueDate} and is ${step.afterDaysOverdue} days overdue`,
          createdAt: new Date(at),
        },
      },
      { upsert: true },
    );
  }
  await appendAuditEntry(models, {
    entryId: `${task.taskId}:escalation:${level}`,
    at,
    actor: { kind: 'system' },
    action: 'task.escalated',
    target: { kind: 'task', id: task.taskId },
    orgId: task.assignee.orgId,
    orgPath: task.orgPath,
    processId: ref.processId,
    elementId: task.elementId,
    outcome: 'ok',
    details: { level, action: step.action, afterDaysOverdue: step.afterDaysOverdue, articles: step.articles, proposalId },
  });
  return proposalId ? { proposalId } : {};
}
