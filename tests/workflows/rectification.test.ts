/**
 * Rectification (Art. 6(12), 11(2)): the deadlines as pure functions on exact dates, and
 * the workflow on the time-skipping server with the real activities writing to the test
 * MongoDB (plan, return, resubmission, progress loop, reopen, closure, the annual-report
 * requirement, and a start with a past feedback date).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import { eventually, uniqueId } from '../support/services.js';
import { actors, identity, tree } from '../support/fixtures.js';
import { cancelProcessUpdate, completeTaskUpdate, processStateQuery, type ProcessState } from '../../workflows/messages.js';
import { rectificationProcess, type RectificationInput, type RectificationItem } from '../../workflows/rectification.js';
import { addDays, addMonths, daysBetween, endOfDayMs } from '../../domain/calendar.js';
import { DEFAULT_RECTIFICATION_POLICY } from '../../domain/rectification/policy.js';
import { nextProgressNumberAfter, planDueDate, progressDueDate, resubmissionDueDate } from '../../domain/rectification/schedule.js';
import { closureProblems, planProblems, progressProblems } from '../../domain/rectification/rules.js';
import { RectificationClosureForm, RectificationPlanForm, RectificationProgressForm, RectificationReviewForm } from '../../domain/rectification/forms.js';
import { requiredRectificationAccounts } from '../../models/annual-report-requirement.js';
import type { Models } from '../../models/index.js';
import type { TaskState } from '../../domain/tasks.js';
import { startTimeSkipping, type TimeSkippingHarness } from '../support/time-skipping.js';

const DAY = 86_400_000;
const policy = DEFAULT_RECTIFICATION_POLICY;

describe('rectification deadlines (pure)', () => {
  it('Art. 6(12): when feedback is given on 2027-01-31, then the plan is due 2027-02-28 (one calendar month, clamped)', () => {
    expect(planDueDate('2027-01-31', policy)).toBe('2027-02-28');
  });

  it('Art. 6(12): when feedback is given on 2028-01-31, then the plan is due 2028-02-29 (leap year)', () => {
    expect(planDueDate('2028-01-31', policy)).toBe('2028-02-29');
  });

  it('Art. 6(12): when the plan is submitted on 2027-03-10, then progress reports are due 2027-06-10, 2027-09-10, 2027-12-10', () => {
    expect([1, 2, 3].map((k) => progressDueDate('2027-03-10', k, policy))).toEqual(['2027-06-10', '2027-09-10', '2027-12-10']);
  });

  it('Art. 6(12): when the plan is submitted on 30 Nov, then reports are always counted from that day, so a short February does not shift later dates', () => {
    expect([1, 2, 3].map((k) => progressDueDate('2026-11-30', k, policy))).toEqual(['2027-02-28', '2027-05-30', '2027-08-30']);
    expect([1, 2].map((k) => progressDueDate('2027-11-30', k, policy))).toEqual(['2028-02-29', '2028-05-30']);
  });

  it('Art. 6(12): when a plan is returned, then the resubmission is due 15 days after the return but never before the original deadline', () => {
    expect(resubmissionDueDate('2027-02-28', '2027-02-05', policy)).toBe('2027-02-28');
    expect(resubmissionDueDate('2027-02-28', '2027-02-20', policy)).toBe('2027-03-07');
  });

  it('Art. 6(12): when items are reopened, then the next report falls on the next scheduled date after the reopening, never on one already reported', () => {
    // Plan 2027-03-10; report 2 (due 2027-09-10) was the last; reopened 2027-10-01 → 2027-12-10 (k = 3).
    expect(nextProgressNumberAfter('2027-03-10', '2027-10-01', 2, policy)).toBe(3);
    // Reopened only on 2028-01-05, after the 2027-12-10 date passed → 2028-03-10 (k = 4).
    expect(nextProgressNumberAfter('2027-03-10', '2028-01-05', 2, policy)).toBe(4);
    // Reopened on the very day a date falls: that date's report would be due at once, so the next one.
    expect(nextProgressNumberAfter('2027-03-10', '2027-12-10', 2, policy)).toBe(4);
  });

  it('when a plan misses a finding, covers one twice or names an unknown one, then the rule names each problem', () => {
    const row = (findingId: string) => ({ findingId, measures: 'm', responsibleName: 'x', targetDate: '2027-06-30' });
    expect(planProblems({ items: [row('F1'), row('F2')] }, ['F1', 'F2'])).toEqual([]);
    expect(planProblems({ items: [row('F1'), row('F1'), row('F9')] }, ['F1', 'F2'])).toEqual([
      'the plan covers finding F1 2 times',
      'the plan names an unknown finding F9',
      'the plan does not cover finding F2',
    ]);
  });

  it('when a progress report names a rectified, unknown or repeated item, then the rule refuses it', () => {
    const row = (itemId: string) => ({ itemId, done: 'd', evidence: 'e', rectified: true });
    expect(progressProblems({ items: [row('F2')] }, ['F2'], ['F1', 'F2'])).toEqual([]);
    expect(progressProblems({ items: [row('F1'), row('F3'), row('F2'), row('F2')] }, ['F2'], ['F1', 'F2'])).toEqual([
      'item F1 is already rectified',
      'the report names an unknown item F3',
      'the report names item F2 twice',
    ]);
    expect(closureProblems({ decision: 'reopen', reopenItemIds: ['F7'], opinion: 'o' }, ['F1'])).toEqual(['there is no item F7 to reopen']);
  });

  it('when forms are incomplete, then the schemas refuse them (return without reasons, row without responsible person or evidence, reopen without items)', () => {
    expect(RectificationReviewForm.safeParse({ decision: 'return' }).success).toBe(false);
    expect(RectificationReviewForm.safeParse({ decision: 'accept' }).success).toBe(true);
    expect(RectificationPlanForm.safeParse({ items: [{ findingId: 'F1', measures: 'm', targetDate: '2027-06-30' }] }).success).toBe(false);
    expect(RectificationProgressForm.safeParse({ items: [{ itemId: 'F1', done: 'd', rectified: true }] }).success).toBe(false);
    expect(RectificationProgressForm.safeParse({ items: [{ itemId: 'F1', done: 'd', documentId: 'doc-1', rectified: false }] }).success).toBe(true);
    expect(RectificationClosureForm.safeParse({ decision: 'reopen', opinion: 'o' }).success).toBe(false);
    expect(RectificationClosureForm.safeParse({ decision: 'close', reopenItemIds: ['F1'], opinion: 'o' }).success).toBe(false);
  });
});

describe('rectification workflow (time-skipping, real activities)', () => {
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

  const serverDay = (days = 0) => h.serverDay(days);

  function input(feedbackId: string, feedbackDate: string, findings = 2): RectificationInput {
    return {
      identity: identity({ processType: 'rectification', title: `Rectification ${feedbackId}`, searchAttributes: false }),
      feedbackId,
      feedbackDate,
      channel: 'faceToFace',
      issuingOrgId: tree.cityDic._id,
      target: { orgId: tree.townA._id, orgPath: [...tree.townA.path], roles: ['unit', 'leader'], escalateTo: [tree.townADic._id, tree.cityDic._id], deciderOrgId: tree.cityDic._id },
      reviewer: { orgId: tree.cityDic._id, orgPath: [...tree.cityDic.path], roles: ['caseOfficer', 'supervisor'], escalateTo: [tree.cityDic._id], deciderOrgId: tree.cityDic._id },
      responsiblePerson: { personId: 'p-town-a-pl', name: 'Town A leader' },
      findings: Array.from({ length: findings }, (_, i) => ({ findingId: `F${i + 1}`, title: `Finding ${i + 1}`, detail: `Detail ${i + 1}` })),
      policy: { version: 1, entry: policy },
    };
  }

  const start = (args: RectificationInput) =>
    env.client.workflow.start(rectificationProcess, { taskQueue, workflowId: `rectification:${args.target.orgId}:${args.feedbackId}`, args: [args] });

  /** Waits (real time) until the process has an open task of the element, its `round`-th. */
  async function openTask(handle: WorkflowHandle, elementId: string, round: number): Promise<{ task: TaskState; state: ProcessState }> {
    for (let i = 0; i < 200; i++) {
      const state = await handle.query(processStateQuery);
      const task = state.tasks.find((t) => t.elementId === elementId && t.status === 'open' && t.taskId.endsWith(`:${round}`));
      if (task) return { task, state };
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no open ${elementId} #${round}`);
  }

  const complete = (handle: WorkflowHandle, taskId: string, actor: (typeof actors)[keyof typeof actors], payload: unknown) =>
    handle.executeUpdate(completeTaskUpdate, { args: [{ taskId, actor, payload }] });

  const planPayload = (ids: string[]) => ({
    items: ids.map((findingId) => ({ findingId, measures: `measures for ${findingId}`, responsiblePersonId: 'p-town-a-pl', targetDate: '2027-12-31' })),
  });

  it('Art. 6(12): when feedback is given on 2027-01-31 or 2028-01-31, then the plan task opens due 2027-02-28 or 2028-02-29', async () => {
    await worker.runUntil(async () => {
      for (const [feedbackDate, due] of [
        ['2027-01-31', '2027-02-28'],
        ['2028-01-31', '2028-02-29'],
      ] as const) {
        const handle = await start(input(uniqueId('fb'), feedbackDate));
        const { task, state } = await openTask(handle, 'planTask', 1);
        expect(task.dueDate).toBe(due);
        expect(task.dueAt).toBe(new Date(endOfDayMs(due)).toISOString());
        expect(task.escalation).toEqual(policy.escalation);
        expect(state.details).toMatchObject({ plan: { dueDate: due }, stage: 'plan' });
        expect(state.elements.active).toEqual(['planTask']);
        await handle.executeUpdate(cancelProcessUpdate, { args: [{ actor: actors.cityCaseOfficer, reason: 'test over' }] });
        expect(await handle.result()).toEqual({ cancelled: 'test over' });
      }
    });
  });

  it('Art. 6(12): when a plan is returned, resubmitted late and accepted, then progress reports fall due every 3 months from the accepted submission, a reopened item goes back into the loop, and closure records the annual-report requirement', async () => {
    const feedback = await serverDay(0);
    const originalDue = addMonths(feedback, 1);
    await worker.runUntil(async () => {
      const handle = await start(input(uniqueId('fb'), feedback));
      const processId = handle.workflowId;

      // Plan submitted at once, returned 25 days later: the resubmission is due 15 days after the return.
      const plan1 = await openTask(handle, 'planTask', 1);
      expect(plan1.task.dueDate).toBe(originalDue);
      expect((await complete(handle, plan1.task.taskId, actors.townAUnit, planPayload(['F1', 'F2']))).late).toBe(false);
      const review1 = await openTask(handle, 'reviewTask', 1);
      expect(review1.task.dueDate).toBe(addDays(feedback, 15));
      expect(review1.task.assignee).toEqual({ orgId: tree.cityDic._id, roles: ['caseOfficer', 'supervisor'] });
      await env.sleep(25 * DAY);
      const returnedOn = await serverDay(0);
      await complete(handle, review1.task.taskId, actors.citySupervisor, { decision: 'return', reasons: 'measures too vague' });

      const plan2 = await openTask(handle, 'planTask', 2);
      const resubmitDue = addDays(returnedOn, 15);
      expect(daysBetween(originalDue, resubmitDue)).toBeGreaterThan(0);
      expect(plan2.task.dueDate).toBe(resubmitDue);
      expect(plan2.task.context).toMatchObject({ returnedWith: 'measures too vague', originalDueDate: originalDue });
      // Resubmitted after the original deadline but before the resubmission's own: late against the original.
      await env.sleep(10 * DAY);
      const resubmitted = await serverDay(0);
      expect(daysBetween(originalDue, resubmitted)).toBeGreaterThan(0);
      await complete(handle, plan2.task.taskId, actors.townAUnit, planPayload(['F2', 'F1']));
      const review2 = await openTask(handle, 'reviewTask', 2);
      const afterResubmit = review2.state.details as { plan: { submissions: Array<{ round: number; late: boolean; decision?: string }> } };
      expect(afterResubmit.plan.submissions.map((s) => [s.round, s.late, s.decision])).toEqual([
        [1, false, 'return'],
        [2, true, undefined],
      ]);
      await complete(handle, review2.task.taskId, actors.cityCaseOfficer, { decision: 'accept' });

      // Reports at S+3, S+6, S+9 months from the accepted submission S, whatever the report days.
      const S = resubmitted;
      const report1 = await openTask(handle, 'progressTask', 1);
      expect(report1.task.dueDate).toBe(addMonths(S, 3));
      expect(report1.state.details).toMatchObject({ progressCountedFrom: S, progressReportNumber: 1, nextProgressReport: { number: 1, k: 1, dueDate: addMonths(S, 3) } });
      await env.sleep(daysBetween(await serverDay(0), addMonths(S, 3)) * DAY + 10 * DAY);
      const late1 = await complete(handle, report1.task.taskId, actors.townAUnit, {
        items: [
          { itemId: 'F1', done: 'regulation rewritten', evidence: 'minutes of 3 May', rectified: true },
          { itemId: 'F2', done: 'training started', documentId: 'doc-7', rectified: false },
        ],
      });
      expect(late1.late).toBe(true);

      const report2 = await openTask(handle, 'progressTask', 2);
      expect(report2.task.dueDate).toBe(addMonths(S, 6));
      expect((report2.state.details as { items: RectificationItem[] }).items.map((i) => [i.itemId, i.state])).toEqual([
        ['F2', 'open'],
        ['F1', 'rectified'],
      ]);
      await complete(handle, report2.task.taskId, actors.townAUnit, { items: [{ itemId: 'F2', done: 'training finished', evidence: 'attendance list', rectified: true }] });

      const closure1 = await openTask(handle, 'closureTask', 1);
      const report2Day = await serverDay(0);
      expect(closure1.task.dueDate).toBe(addDays(report2Day, 30));
      await complete(handle, closure1.task.taskId, actors.cityCaseOfficer, { decision: 'reopen', reopenItemIds: ['F2'], opinion: 'training did not reach the village cadres' });

      const report3 = await openTask(handle, 'progressTask', 3);
      expect(report3.task.dueDate).toBe(addMonths(S, 9));
      const reopened = report3.state.details as { items: RectificationItem[]; reopenings: unknown[] };
      expect(reopened.items.find((i) => i.itemId === 'F2')).toMatchObject({ state: 'open', reopenedOn: [report2Day] });
      expect(reopened.reopenings).toHaveLength(1);
      await complete(handle, report3.task.taskId, actors.townAUnit, { items: [{ itemId: 'F2', done: 'village cadres trained', evidence: 'records', rectified: true }] });

      const closure2 = await openTask(handle, 'closureTask', 2);
      await env.sleep(3 * DAY);
      const closedOn = await serverDay(0);
      await complete(handle, closure2.task.taskId, actors.citySupervisor, { decision: 'close', opinion: 'all items rectified' });
      const result = await handle.result();
      expect(result).toEqual({ closedOn, annualReportYear: Number(closedOn.slice(0, 4)), reports: 3 });

      const final = await handle.query(processStateQuery);
      expect(final.status).toBe('completed');
      expect(final.elements.done).toEqual(expect.arrayContaining(['start', 'planTask', 'reviewTask', 'reviewGateway', 'progressTask', 'rectifiedGateway', 'closureTask', 'closureGateway', 'recordAnnualAccount', 'end']));
      expect(final.elements.active).toEqual([]);
      expect(final.details).toMatchObject({ stage: 'closed', closure: { closedOn, opinion: 'all items rectified' } });

      // The account owed in the annual report for the year of closure (due 15 Jan after it).
      const year = Number(closedOn.slice(0, 4));
      const required = await requiredRectificationAccounts(models, tree.townA._id, year);
      expect(required).toHaveLength(1);
      expect(required[0]).toMatchObject({ _id: processId, rectificationId: processId, orgId: tree.townA._id, year, obligationCode: 'PC-ANNUAL-REPORT', closedOn });
      expect(required[0]?.summary).toContain('3 progress report(s)');
      expect(await requiredRectificationAccounts(models, tree.townA._id, year + 1)).toEqual([]);
      expect(await models.AuditEntry.countDocuments({ processId, action: 'rectification.reopened' })).toBe(1);
      expect(await models.AuditEntry.countDocuments({ processId, action: 'rectification.planReturned' })).toBe(1);
    });
  });

  it('Art. 6(12): when a rectification starts with a feedback date 60 days past, then at first read its plan is overdue and the ladder steps up to now have fired', async () => {
    const today = await serverDay(0);
    const feedback = addDays(today, -60);
    const due = addMonths(feedback, 1);
    const overdueDays = daysBetween(due, today);
    // A step fires at the end of its day: those whose day is before today have fired.
    const fired = policy.escalation.steps.filter((s) => overdueDays > s.afterDaysOverdue);
    expect(fired.length).toBeGreaterThanOrEqual(1);
    await worker.runUntil(async () => {
      const handle = await start(input(uniqueId('fb'), feedback));
      // The catch-up fires at once in workflow time; its activities take real time.
      await eventually(
        () => models.AuditEntry.countDocuments({ processId: handle.workflowId, action: 'task.escalated' }),
        (n) => n === fired.length,
      );
      const state = await handle.query(processStateQuery);
      const plan = state.tasks.find((t) => t.elementId === 'planTask');
      expect(plan?.dueDate).toBe(due);
      expect(plan?.overdue).toBe(true);
      expect(plan?.escalationLevel).toBe(fired.length);
      expect(state.elements.overdue).toEqual(['planTask']);
      const escalations = await models.AuditEntry.find({ processId: handle.workflowId, action: 'task.escalated' }).sort({ at: 1 }).lean();
      expect(escalations.map((e) => e.details?.action)).toEqual(fired.map((s) => s.action));
      expect(await models.AuditEntry.countDocuments({ processId: handle.workflowId, action: 'task.reminded' })).toBe(0);
      expect(await models.Proposal.countDocuments({ sourceProcessId: handle.workflowId })).toBe(fired.filter((s) => s.action !== 'notify').length);
    });
  });
});
