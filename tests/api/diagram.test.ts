import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { devServerClient, startDevServerWorker, testModels, uniqueId, type RunningWorker } from '../support/services.js';
import { TEST_AUTH_SECRET } from '../support/app.js';
import { actors, allWorkflowsPath, identity, inDays, loadTree, reportTask, tree } from '../support/fixtures.js';
import { singleTaskModel, singleTaskProcess } from '../fixtures/single-task-workflow.js';
import { createApp } from '../../api/app.js';
import { signToken } from '../../api/auth/tokens.js';
import type { Principal } from '../../api/http/endpoint.js';
import { elementIds, type ProcessModel } from '../../domain/process-model.js';
import { processModels } from '../../workflows/process-models.js';
import { processStateQuery } from '../../workflows/messages.js';

describe('process diagram: GET /api/v1/processes/{id}/diagram', () => {
  let db: Awaited<ReturnType<typeof testModels>>;
  let temporal: Awaited<ReturnType<typeof devServerClient>>;
  let worker: RunningWorker;
  let server: Server;
  let baseUrl: string;

  const get = async (path: string, who: Principal) => {
    const res = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${signToken(TEST_AUTH_SECRET, who)}` } });
    return { status: res.status, body: (await res.json()) as any };
  };
  const diagram = (id: string, who: Principal = actors.townASupervisor) => get(`/api/v1/processes/${encodeURIComponent(id)}/diagram`, who);

  /** Every reported element ID is one of the model's. */
  const expectKnownIds = (model: ProcessModel, elements: { active: string[]; done: string[]; overdue: string[] }) => {
    const known = elementIds(model);
    for (const id of [...elements.active, ...elements.done, ...elements.overdue]) expect(known.has(id), `${model.processType}: ${id}`).toBe(true);
  };

  async function startSingleTask(dueInDays: number): Promise<string> {
    const workflowId = uniqueId('single-task');
    await temporal.client.workflow.start(singleTaskProcess, {
      args: [{ identity: identity(), spec: reportTask(inDays(dueInDays)) }],
      taskQueue: worker.taskQueue,
      workflowId,
    });
    // The task is written by an activity; the diagram is asked for once it is open.
    for (let i = 0; i < 100 && !(await db.models.Task.exists({ processId: workflowId })); i++) await new Promise((r) => setTimeout(r, 100));
    return workflowId;
  }

  beforeAll(async () => {
    db = await testModels();
    await loadTree(db.models);
    temporal = await devServerClient();
    worker = await startDevServerWorker(db.models, { workflowsPath: allWorkflowsPath });
    // The fixture's model is not in the registry: the app is given it, as a deployment could be.
    const app = createApp({
      config: { AUTH_SECRET: TEST_AUTH_SECRET, TASK_QUEUE: worker.taskQueue, TEMPORAL_UI_URL: 'http://127.0.0.1:8233', TEMPORAL_NAMESPACE: 'default' },
      temporal: temporal.client,
      models: db.models,
      processModels: [singleTaskModel],
    });
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await worker?.stop();
    await temporal?.close();
    await db?.close();
  });

  it('when a process waits on its task, then the diagram has the type\'s BPMN XML and the task active, the start done', async () => {
    const id = await startSingleTask(5);
    const res = await diagram(id);
    expect(res.status).toBe(200);
    expect(res.body.processType).toBe('single-task');
    expect(res.body.source).toBe('workflow');
    expect(res.body.xml).toContain('<bpmn:userTask id="theTask"');
    expect(res.body.xml).toContain('bpmndi:BPMNDiagram');
    expect(res.body.elements).toEqual({ active: ['theTask'], done: ['start'], overdue: [] });
    expect((await get(`/api/v1/processes/${encodeURIComponent(id)}/diagram?lang=en`, actors.townASupervisor)).body.xml).toContain('name="The task"');
  });

  it('when a process and its history are read, then only an admin gets the Temporal UI link (the UI has no login)', async () => {
    const id = await startSingleTask(5);
    for (const path of [`/api/v1/processes/${encodeURIComponent(id)}`, `/api/v1/processes/${encodeURIComponent(id)}/history`]) {
      const asAdmin = await get(path, actors.admin);
      expect(asAdmin.status, path).toBe(200);
      expect(asAdmin.body.temporalUiUrl, path).toContain(`/workflows/${encodeURIComponent(id)}`);
      const asSupervisor = await get(path, actors.citySupervisor);
      expect(asSupervisor.status, path).toBe(200);
      expect(asSupervisor.body, path).not.toHaveProperty('temporalUiUrl');
    }
  });

  it('when the task is past its due date, then its element is reported overdue', async () => {
    const id = await startSingleTask(-3);
    let res = await diagram(id);
    for (let i = 0; i < 50 && res.body.elements?.overdue.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      res = await diagram(id);
    }
    expect(res.body.elements).toMatchObject({ active: ['theTask'], overdue: ['theTask'] });
  });

  it('when a running workflow reports its elements before and after completion, then every ID exists in its model', async () => {
    const id = await startSingleTask(5);
    const handle = temporal.client.workflow.getHandle(id);
    expectKnownIds(singleTaskModel, (await handle.query(processStateQuery)).elements);
    const task = await db.models.Task.findOne({ processId: id }).lean();
    const done = await fetch(`${baseUrl}/api/v1/tasks/${encodeURIComponent(task?._id ?? '')}/complete`, {
      method: 'POST',
      headers: { authorization: `Bearer ${signToken(TEST_AUTH_SECRET, actors.townAUnit)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ payload: { summary: 'all done' } }),
    });
    expect(done.status).toBe(200);
    await handle.result();
    const after = await diagram(id);
    expect(after.body.elements).toEqual({ active: [], done: ['start', 'theTask', 'end'], overdue: [] });
    expectKnownIds(singleTaskModel, after.body.elements);
  });

  it('when the workflow cannot be asked, then the states come from the summary and tasks in MongoDB', async () => {
    const id = uniqueId('single-task-gone');
    await db.models.ProcessSummary.create({
      _id: id, processType: 'single-task', title: 'gone', orgId: tree.townA._id, orgPath: [...tree.townA.path], status: 'running',
      startedAt: new Date(), activeElements: ['theTask'], openTasks: 1, overdue: true, updatedAt: new Date(),
    });
    await db.models.Task.create({
      _id: `${id}:theTask:1`, processId: id, processType: 'single-task', elementId: 'theTask', form: 'report', title: 't', titleZh: 't',
      assignee: { orgId: tree.townA._id, roles: ['unit'] }, orgPath: [...tree.townA.path], orgId: tree.townA._id,
      dueDate: inDays(-1), dueAt: new Date(), status: 'open', overdue: true, createdAt: new Date(),
    });
    const res = await diagram(id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ source: 'summary', elements: { active: ['theTask'], done: ['start'], overdue: ['theTask'] } });
  });

  it('when the process is unknown or outside the caller\'s scope, then 404', async () => {
    const id = await startSingleTask(5);
    expect((await diagram(id, actors.townBUnit)).status).toBe(404);
    expect((await diagram('no-such-process')).status).toBe(404);
  });

  // Every registered process type: its diagram is served and the states it reports are its own IDs.
  for (const model of processModels) {
    it(`when a ${model.processType} process has a summary, then its diagram is served with IDs of its model only`, async () => {
      const id = uniqueId(`${model.processType}-summary`);
      const firstTask = model.elements.find((e) => e.kind === 'userTask');
      await db.models.ProcessSummary.create({
        _id: id, processType: model.processType, title: 'x', orgId: tree.townA._id, orgPath: [...tree.townA.path], status: 'running',
        startedAt: new Date(), activeElements: firstTask ? [firstTask.id] : [], openTasks: 1, updatedAt: new Date(),
      });
      const res = await diagram(id, actors.citySupervisor);
      expect(res.status).toBe(200);
      for (const e of model.elements) expect(res.body.xml).toContain(`id="${e.id}"`);
      expectKnownIds(model, res.body.elements);
    });
  }
});
