/**
 * The inbox through the API on the dev server with the real worker: the payload checked
 * against its form by the API, then routed to the owning workflow as an update whose
 * validator decides the rest; scoping; idempotency.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, uniqueId } from '../support/services.js';
import type { TestApi } from '../support/app.js';
import { startServiceHarness, type ServiceHarness } from '../support/harness.js';
import { actors, allWorkflowsPath, identity, inDays, reportTask, tree } from '../support/fixtures.js';
import { singleTaskProcess } from '../fixtures/single-task-workflow.js';
import type { Models } from '../../models/index.js';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { completeTaskUpdate } from '../../workflows/messages.js';
import { TaskRejection } from '../../domain/tasks.js';

describe('the task inbox: complete a step through the API', () => {
  let h: ServiceHarness;
  let models: Models;
  let api: TestApi;

  beforeAll(async () => {
    h = await startServiceHarness({ data: 'tree', worker: { workflowsPath: allWorkflowsPath } });
    ({ models, api } = h);
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Starts a one-task process for town A and waits for its task to reach the inbox. */
  async function openTask(dueInDays = 10): Promise<{ taskId: string; processId: string }> {
    const processId = uniqueId('single');
    await h.client.workflow.start(singleTaskProcess, {
      taskQueue: h.worker!.taskQueue,
      workflowId: processId,
      args: [{ identity: identity({ searchAttributes: false }), spec: reportTask(inDays(dueInDays)) }],
    });
    for (let i = 0; i < 100; i++) {
      const task = await models.Task.findOne({ processId }).lean();
      if (task) return { taskId: task._id, processId };
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the task never reached the inbox');
  }

  const unitA = () => api.token(actors.townAUnit);
  const unitB = () => api.token(actors.townBUnit);

  it('when a unit completes its own task with a valid payload, then 200 with the outcome and the task is completed', async () => {
    const { taskId, processId } = await openTask();
    const res = await api.request('POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`, { token: unitA(), body: { payload: { summary: 'our report' } } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ taskId, status: 'completed', late: false, completedBy: { sub: actors.townAUnit.sub } });
    const task = await api.request('GET', `/api/v1/tasks/${encodeURIComponent(taskId)}`, { token: unitA() });
    expect(task.body).toMatchObject({ status: 'completed', result: { summary: 'our report' } });
    await h.client.workflow.getHandle(processId).result();
    const proc = await api.request('GET', `/api/v1/processes/${encodeURIComponent(processId)}`, { token: api.token(actors.citySupervisor) });
    expect(proc.body.status).toBe('completed');
    expect(proc.body.elements.done).toEqual(expect.arrayContaining(['start', 'theTask', 'end']));
  });

  it('when another unit tries to complete the task, then 403 and the task is unchanged', async () => {
    const { taskId } = await openTask();
    const res = await api.request('POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`, { token: unitB(), body: { payload: { summary: 'not ours' } } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect((await models.Task.findById(taskId).lean())?.status).toBe('open');
    expect(await models.AuditEntry.countDocuments({ action: 'task.completed', 'target.id': taskId })).toBe(0);
  });

  it('when a unit of the right org but the wrong role completes the task, then the workflow validator answers 403', async () => {
    const { taskId } = await openTask();
    const leaderA = api.token({ sub: 'leader-a', role: 'leader', orgId: tree.townA._id });
    const res = await api.request('POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`, { token: leaderA, body: { payload: { summary: 'x' } } });
    expect(res.status).toBe(403);
    expect((await models.Task.findById(taskId).lean())?.status).toBe('open');
  });

  it('when the task is completed a second time, then 409 and the first result stays', async () => {
    const { taskId } = await openTask();
    const path = `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`;
    expect((await api.request('POST', path, { token: unitA(), body: { payload: { summary: 'first' } } })).status).toBe(200);
    const second = await api.request('POST', path, { token: unitA(), body: { payload: { summary: 'second' } } });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('conflict');
    expect((await models.Task.findById(taskId).lean())?.result).toEqual({ summary: 'first' });
  });

  it('when the same Idempotency-Key is sent twice, then both get the first answer and there is one audit entry', async () => {
    const { taskId } = await openTask();
    const path = `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`;
    const headers = { 'idempotency-key': uniqueId('key') };
    const first = await api.request('POST', path, { token: unitA(), body: { payload: { summary: 'once' } }, headers });
    const again = await api.request('POST', path, { token: unitA(), body: { payload: { summary: 'once' } }, headers });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await models.AuditEntry.countDocuments({ action: 'task.completed', 'target.id': taskId })).toBe(1);
  });

  it('when the payload does not fit the form, then 400 with the zod issues and nothing changes', async () => {
    const { taskId } = await openTask();
    const res = await api.request('POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`, { token: unitA(), body: { payload: { summary: 42 } } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: ['summary'] })]));
    expect((await models.Task.findById(taskId).lean())?.status).toBe('open');
  });

  it('when the payload does not fit the form and the task is already completed, then 409 as before, not 400', async () => {
    const { taskId } = await openTask();
    const path = `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`;
    expect((await api.request('POST', path, { token: unitA(), body: { payload: { summary: 'done' } } })).status).toBe(200);
    await eventually(() => models.Task.findById(taskId).lean(), (t) => t?.status === 'completed');
    const res = await api.request('POST', path, { token: unitA(), body: { payload: { summary: 42 } } });
    expect(res.status).toBe(409);
    const wrongRole = await api.request('POST', path, { token: api.token({ sub: 'leader-a', role: 'leader', orgId: tree.townA._id }), body: { payload: { summary: 42 } } });
    expect(wrongRole.status).toBe(409);
  });

  it('when the payload does not fit the form and the caller has the wrong role, then 403 as the workflow answers, not 400', async () => {
    const { taskId } = await openTask();
    const leaderA = api.token({ sub: 'leader-a', role: 'leader', orgId: tree.townA._id });
    const res = await api.request('POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`, { token: leaderA, body: { payload: { summary: 42 } } });
    expect(res.status).toBe(403);
    expect((await models.Task.findById(taskId).lean())?.status).toBe('open');
  });

  it('when a payload is completed, then the workflow records it as the form parses it (trimmed)', async () => {
    const { taskId } = await openTask();
    const res = await api.request('POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`, { token: unitA(), body: { payload: { summary: '  our report  ' } } });
    expect(res.status).toBe(200);
    expect(res.body.result).toEqual({ summary: 'our report' });
    expect((await models.Task.findById(taskId).lean())?.result).toEqual({ summary: 'our report' });
  });

  it('when the update is sent around the API with a payload that is not an object, then the workflow\'s light check refuses it and nothing changes', async () => {
    const { taskId, processId } = await openTask();
    for (const payload of ['a string', ['a', 'list'], null]) {
      const err = await h.client.workflow
        .getHandle(processId)
        .executeUpdate(completeTaskUpdate, { args: [{ taskId, actor: actors.townAUnit, payload }] })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (err as WorkflowUpdateFailedError).cause;
      expect(cause).toBeInstanceOf(ApplicationFailure);
      expect((cause as ApplicationFailure).type).toBe(TaskRejection.invalidPayload);
    }
    expect((await models.Task.findById(taskId).lean())?.status).toBe('open');
  });

  it('when the body lacks the payload object, then 400 from the API schema', async () => {
    const { taskId } = await openTask();
    const res = await api.request('POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`, { token: unitA(), body: { summary: 'flat' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toEqual(['payload']);
  });

  it('when units and supervisors list tasks, then each sees its own scope only', async () => {
    const { taskId } = await openTask();
    const mine = await api.request('GET', '/api/v1/tasks?status=open', { token: unitA() });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((t: { id: string }) => t.id)).toContain(taskId);
    const other = await api.request('GET', '/api/v1/tasks', { token: unitB() });
    expect(other.body.items.map((t: { id: string }) => t.id)).not.toContain(taskId);
    expect(other.body.total).toBe(0);
    const city = await api.request('GET', `/api/v1/tasks?orgId=${tree.townA._id}`, { token: api.token(actors.citySupervisor) });
    expect(city.body.items.map((t: { id: string }) => t.id)).toContain(taskId);
    const hidden = await api.request('GET', `/api/v1/tasks/${encodeURIComponent(taskId)}`, { token: unitB() });
    expect(hidden.status).toBe(404);
  });

  it('when tasks are filtered by due date, then only those due in range come back', async () => {
    await openTask(3);
    const soon = await api.request('GET', `/api/v1/tasks?dueBefore=${inDays(5)}&status=open`, { token: unitA() });
    expect(soon.body.items.length).toBeGreaterThan(0);
    expect(soon.body.items.every((t: { dueDate: string }) => t.dueDate <= inDays(5))).toBe(true);
    const bad = await api.request('GET', '/api/v1/tasks?dueBefore=2027-02-30', { token: unitA() });
    expect(bad.status).toBe(400);
  });

  it('when a process is read, then its history is a readable timeline and the issuer may cancel it with a reason', async () => {
    const { processId, taskId } = await openTask();
    const officer = api.token(actors.cityCaseOfficer);
    const noReason = await api.request('POST', `/api/v1/processes/${encodeURIComponent(processId)}/cancel`, { token: officer, body: { reason: '' } });
    expect(noReason.status).toBe(400);
    const byUnit = await api.request('POST', `/api/v1/processes/${encodeURIComponent(processId)}/cancel`, { token: unitA(), body: { reason: 'we want out' } });
    expect(byUnit.status).toBe(403);
    const cancelled = await api.request('POST', `/api/v1/processes/${encodeURIComponent(processId)}/cancel`, { token: officer, body: { reason: 'feedback withdrawn' } });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect((await models.Task.findById(taskId).lean())?.status).toBe('cancelled');
    const history = await api.request('GET', `/api/v1/processes/${encodeURIComponent(processId)}/history`, { token: officer });
    const actions = history.body.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['process.started', 'task.opened', 'task.cancelled', 'process.cancelled']));
    expect(history.body.entries.find((e: { action: string }) => e.action === 'process.cancelled').text).toContain('feedback withdrawn');
  });

  it('when a unit reads its notifications, then the new-task notice is there', async () => {
    const { taskId } = await openTask();
    const res = await eventually(
      () => api.request('GET', `/api/v1/notifications?taskId=${encodeURIComponent(taskId)}`, { token: unitA() }),
      (r) => r.body.items.length > 0,
    );
    expect(res.status).toBe(200);
    expect(res.body.items.map((n: { kind: string }) => n.kind)).toEqual(['task.opened']);
  });
});
