/**
 * The whole service for a test file: a fresh database (optionally with the Yiwu demo
 * data or the small test tree), a Temporal client, the real worker on a unique task
 * queue, and the real app mounted in-process. One call in beforeAll, one in afterAll.
 */
import { vi } from 'vitest';
import type { Client } from '@temporalio/client';
import type { WorkerOptions } from '@temporalio/worker';
import { devServerClient, startDevServerWorker, testModels, type RunningWorker } from './services.js';
import { startTestApi, type TestApi } from './app.js';
import { loadTree } from './fixtures.js';
import { loadDemoData } from '../../data/load-demo.js';
import type { Models } from '../../models/index.js';
import type { TaskRecord } from '../../models/task.js';

export interface ServiceHarness {
  models: Models;
  client: Client;
  api: TestApi;
  worker: RunningWorker | undefined;
  /** Waits for an open task of the process on the element and returns it. */
  openTask(processId: string, elementId: string, timeoutMs?: number): Promise<TaskRecord>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  data?: 'demo' | 'tree';
  /** Start the real worker (workflows/index.ts, or the given workflows). */
  worker?: boolean | Partial<WorkerOptions>;
}

export async function startServiceHarness(options: HarnessOptions = {}): Promise<ServiceHarness> {
  const db = await testModels();
  const { models } = db;
  if (options.data === 'demo') await loadDemoData(models);
  if (options.data === 'tree') await loadTree(models);
  const temporal = await devServerClient();
  const worker = options.worker ? await startDevServerWorker(models, options.worker === true ? undefined : options.worker) : undefined;
  const api = await startTestApi({ temporal: temporal.client, models, ...(worker ? { taskQueue: worker.taskQueue } : {}) });
  return {
    models,
    client: temporal.client,
    api,
    worker,
    openTask: (processId, elementId, timeoutMs = 15_000) =>
      vi.waitFor(
        async () => {
          const task = await models.Task.findOne({ processId, elementId, status: 'open' }).lean<TaskRecord>();
          if (!task) throw new Error(`no open ${elementId} task in ${processId} yet`);
          return task;
        },
        { timeout: timeoutMs, interval: 100 },
      ),
    async close() {
      await api.close();
      await worker?.stop();
      await temporal.close();
      await db.close();
    },
  };
}
