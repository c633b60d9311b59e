/**
 * The user-task building block on the time-skipping server with the real activities
 * (writing to the test MongoDB): reminders, overdue marking and each escalation step
 * fire at the policy's offsets; a late completion is accepted and recorded as late.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { uniqueId } from '../support/services.js';
import { actors, identity, reportTask, tree } from '../support/fixtures.js';
import { singleTaskProcess } from '../fixtures/single-task-workflow.js';
import { completeTaskUpdate, processStateQuery } from '../../workflows/messages.js';
import { addDays, endOfDayMs, localTimeMs } from '../../domain/calendar.js';
import type { EscalationPolicy } from '../../domain/escalation.js';
import type { Models } from '../../models/index.js';
import { eventually } from '../support/services.js';
import { startTimeSkipping, type TimeSkippingHarness } from '../support/time-skipping.js';

const DAY = 86_400_000;
const policy: EscalationPolicy = {
  reminderDaysBefore: [7, 1],
  reminderTime: '09:00',
  steps: [
    { afterDaysOverdue: 7, action: 'proposeInterview', articles: ['12(1)'] },
    { afterDaysOverdue: 30, action: 'proposeCase', articles: ['14(2)', '15(1)'] },
  ],
};

describe('user task: deadline, reminders, overdue and the escalation ladder (time-skipping)', () => {
  let h: TimeSkippingHarness;
  let env: TestWorkflowEnvironment;
  let models: Models;
  let taskQueue: string;
  const worker = { runUntil: (fn: () => Promise<void>) => h.runUntil(fn) };

  beforeAll(async () => {
    h = await startTimeSkipping();
    ({ env, models, taskQueue } = h);
  });
  afterAll(async () => {
    await h?.close();
  });

  const serverDay = (days: number) => h.serverDay(days);

  const start = (dueDate: string) =>
    env.client.workflow.start(singleTaskProcess, {
      taskQueue,
      workflowId: uniqueId('single'),
      args: [{ identity: identity({ searchAttributes: false }), spec: reportTask(dueDate, policy) }],
    });

  async function auditTimes(processId: string, action: string): Promise<number[]> {
    const entries = await models.AuditEntry.find({ processId, action }).sort({ at: 1 }).lean();
    return entries.map((e) => e.at.getTime());
  }

  it('when nobody completes the task, then reminders, overdue and both escalation steps fire at the policy offsets, and a late completion is recorded as late', async () => {
    const due = await serverDay(10);
    await worker.runUntil(async () => {
      const handle = await start(due);
      const processId = handle.workflowId;
      // Skip past the last escalation step (30 days after due).
      await env.sleep(45 * DAY);
      const [state] = [await handle.query(processStateQuery)];
      const task = state.tasks[0]!;
      expect(task.overdue).toBe(true);
      expect(task.escalationLevel).toBe(2);
      expect(state.elements.overdue).toEqual(['theTask']);

      const within = (actual: number[] | undefined, expected: number) => {
        expect(actual).toHaveLength(1);
        expect(Math.abs((actual?.[0] ?? 0) - expected)).toBeLessThan(60_000);
      };
      const reminders = await models.AuditEntry.find({ processId, action: 'task.reminded' }).sort({ at: 1 }).lean();
      expect(reminders.map((r) => r.details?.daysBefore)).toEqual([7, 1]);
      within([reminders[0]!.at.getTime()], localTimeMs(addDays(due, -7), '09:00'));
      within([reminders[1]!.at.getTime()], localTimeMs(addDays(due, -1), '09:00'));
      within(await auditTimes(processId, 'task.overdue'), endOfDayMs(due) + 1);
      const escalations = await models.AuditEntry.find({ processId, action: 'task.escalated' }).sort({ at: 1 }).lean();
      expect(escalations.map((e) => e.details?.action)).toEqual(['proposeInterview', 'proposeCase']);
      within([escalations[0]!.at.getTime()], endOfDayMs(addDays(due, 7)) + 1);
      within([escalations[1]!.at.getTime()], endOfDayMs(addDays(due, 30)) + 1);

      const proposals = await models.Proposal.find({ sourceProcessId: processId }).sort({ createdAt: 1 }).lean();
      expect(proposals.map((p) => [p.kind, p.status, p.deciderOrgId])).toEqual([
        ['interview', 'open', tree.cityDic._id],
        ['case', 'open', tree.cityDic._id],
      ]);
      const record = await models.Task.findById(task.taskId).lean();
      expect(record?.overdue).toBe(true);
      expect(record?.escalationLevel).toBe(2);
      const supervisorNotices = await models.Notification.find({ orgId: tree.townADic._id }).lean();
      expect(supervisorNotices.map((n) => n.kind).sort()).toEqual(['task.escalation.proposeCase', 'task.escalation.proposeInterview', 'task.overdue']);

      const outcome = await handle.executeUpdate(completeTaskUpdate, {
        args: [{ taskId: task.taskId, actor: actors.townAUnit, payload: { summary: 'finally' } }],
      });
      expect(outcome.late).toBe(true);
      await handle.result();
      const completed = await models.Task.findById(task.taskId).lean();
      expect(completed?.status).toBe('completed');
      expect(completed?.late).toBe(true);
      expect(completed?.result).toEqual({ summary: 'finally' });
    });
  });

  it('when the task is completed before its due date, then it is not late and no overdue or escalation fires afterwards', async () => {
    const due = await serverDay(20);
    await worker.runUntil(async () => {
      const handle = await start(due);
      await env.sleep(14 * DAY); // past the 7-day reminder
      const { tasks } = await handle.query(processStateQuery);
      const outcome = await handle.executeUpdate(completeTaskUpdate, {
        args: [{ taskId: tasks[0]!.taskId, actor: actors.townAUnit, payload: { summary: 'on time' } }],
      });
      expect(outcome.late).toBe(false);
      await handle.result();
      await env.sleep(60 * DAY);
      expect(await auditTimes(handle.workflowId, 'task.reminded')).toHaveLength(1);
      expect(await auditTimes(handle.workflowId, 'task.overdue')).toHaveLength(0);
      expect(await auditTimes(handle.workflowId, 'task.escalated')).toHaveLength(0);
    });
  });

  it('when a process starts with a due date 60 days past, then overdue and both escalations have fired at once and no reminder is sent', async () => {
    const due = await serverDay(-60);
    await worker.runUntil(async () => {
      const handle = await start(due);
      // The catch-up fires at once in workflow time; its activities take real time.
      await eventually(() => auditTimes(handle.workflowId, 'task.escalated'), (times) => times.length === 2);
      const state = await handle.query(processStateQuery);
      expect(state.tasks[0]!.overdue).toBe(true);
      expect(state.tasks[0]!.escalationLevel).toBe(2);
      expect(await auditTimes(handle.workflowId, 'task.reminded')).toHaveLength(0);
      expect(await auditTimes(handle.workflowId, 'task.escalated')).toHaveLength(2);
    });
  });
});
