/**
 * Durability of a rectification across a worker crash: the worker runs as a separate
 * process (the service's own entry, worker/main.ts) and is SIGKILLed while the process
 * waits on the plan task. The completion sent through the API meanwhile waits for a
 * worker; once a new worker process starts, the process goes on, and nothing is lost or
 * done twice.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { devServerClient, uniqueId } from '../support/services.js';
import { startTestApi, type TestApi } from '../support/app.js';
import { repoRoot } from '../../scripts/lib/services.js';
import { connectDb } from '../../models/db.js';
import { createModels, syncIndexes, type Models } from '../../models/index.js';
import { loadDemoData } from '../../data/load-demo.js';
import { addMonths, localDateOf } from '../../domain/calendar.js';
import type { TaskRecord } from '../../models/task.js';

describe('rectification durability: the worker process is killed while a task waits', () => {
  const spawned: ChildProcess[] = [];
  let models: Models;
  let mongoUri: string;
  let temporal: Awaited<ReturnType<typeof devServerClient>>;
  let api: TestApi;
  const taskQueue = uniqueId('tq-durable');

  /** Starts worker/main.ts as its own process and resolves once it polls the task queue. */
  async function startWorkerProcess(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        MONGODB_URI: mongoUri,
        TASK_QUEUE: taskQueue,
        AUTH_SECRET: 'durability-test-secret',
        LOAD_DEMO_DATA: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    spawned.push(child);
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), 60_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('worker: polling')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`worker exited with ${code}:\n${output}`));
      });
    });
    return child;
  }

  async function kill(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async function until<T>(what: string, probe: () => Promise<T | null | undefined>, timeoutMs = 60_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const value = await probe();
      if (value) return value;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  beforeAll(async () => {
    const uri = new URL(inject('mongoUri'));
    uri.pathname = `/${uniqueId('durable').replace(/-/g, '_')}`;
    mongoUri = uri.toString();
    models = createModels(await connectDb(mongoUri));
    await syncIndexes(models);
    await loadDemoData(models);
    temporal = await devServerClient();
    api = await startTestApi({ temporal: temporal.client, models, taskQueue });
  });
  afterAll(async () => {
    for (const child of spawned) await kill(child);
    await api?.close();
    await temporal?.close();
    await models?.conn.dropDatabase().catch(() => undefined);
    await models?.conn.close();
  });

  it('when the worker is killed while the plan task waits and the plan is submitted meanwhile, then a new worker carries the process on and nothing is done twice', async () => {
    const first = await startWorkerProcess();
    const officer = api.token({ sub: 'co-yiwu', role: 'caseOfficer', orgId: 'yiwu-dic', personId: 'p-yiwu-co' });
    const unit = api.token({ sub: 'u-futang', role: 'unit', orgId: 'futang-pc' });
    const today = localDateOf(Date.now());
    const started = await api.request('POST', '/api/v1/rectifications', {
      token: officer,
      body: {
        targetOrgId: 'futang-pc',
        issuingOrgId: 'yiwu-dic',
        feedbackId: uniqueId('fb'),
        feedbackDate: today,
        channel: 'written',
        findings: [{ title: 'Late reports', detail: 'Quarterly meetings not reported.' }],
      },
    });
    expect(started.status).toBe(201);
    const { processId } = started.body as { processId: string };
    const plan = await until('the plan task in MongoDB', () => models.Task.findOne({ processId, elementId: 'planTask' }).lean<TaskRecord>());
    // Wait until the workflow has finished its step (summary published) before killing the worker.
    await until('the process summary', () => models.ProcessSummary.findOne({ _id: processId, activeElements: 'planTask' }).lean());

    await kill(first);

    // The completion waits for a worker; send it now and start the new worker while it is pending.
    const completion = api.request('POST', `/api/v1/tasks/${encodeURIComponent(plan._id)}/complete`, {
      token: unit,
      body: { payload: { items: [{ findingId: 'F1', measures: 'report on time', responsibleName: '朱国庆', targetDate: addMonths(today, 2) }] } },
    });
    const settled = await Promise.race([completion.then(() => 'answered'), new Promise((r) => setTimeout(() => r('waiting'), 1_500))]);
    expect(settled).toBe('waiting');
    await startWorkerProcess();
    const answer = await completion;
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ taskId: plan._id, status: 'completed', late: false });

    const review = await until('the review task', () => models.Task.findOne({ processId, elementId: 'reviewTask' }).lean<TaskRecord>());
    expect(review.orgId).toBe('yiwu-dic');
    expect(review.status).toBe('open');
    expect((await models.Task.findById(plan._id).lean<TaskRecord>())?.status).toBe('completed');

    // Nothing twice: one completion, one review task, one start, one opening of each task.
    expect(await models.AuditEntry.countDocuments({ processId, action: 'task.completed', 'target.id': plan._id })).toBe(1);
    expect(await models.Task.countDocuments({ processId, elementId: 'reviewTask' })).toBe(1);
    expect(await models.Task.countDocuments({ processId })).toBe(2);
    expect(await models.AuditEntry.countDocuments({ processId, action: 'process.started' })).toBe(1);
    expect(await models.AuditEntry.countDocuments({ processId, action: 'task.opened' })).toBe(2);
    expect(await models.AuditEntry.countDocuments({ processId, action: 'rectification.planSubmitted' })).toBe(1);

    const view = await api.request('GET', `/api/v1/processes/${encodeURIComponent(processId)}`, { token: officer });
    expect(view.status).toBe(200);
    expect(view.body.elements.active).toEqual(['reviewTask']);
    expect(view.body.openTasks.map((t: { elementId: string }) => t.elementId)).toEqual(['reviewTask']);
  }, 120_000);
});
