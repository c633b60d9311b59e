import { fileURLToPath } from 'node:url';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import type { Models } from '../models/index.js';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  models: Models;
  /** HMAC key for webhook signatures. */
  webhookSecret: string;
  /** Tests may narrow or extend what the worker runs. */
  overrides?: Partial<WorkerOptions>;
}

/** The one place a worker is put together, for the process entry and for tests alike. */
export function createWorker({ connection, namespace, taskQueue, models, webhookSecret, overrides }: WorkerDeps): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    workflowsPath,
    activities: createActivities({ models, webhookSecret }),
    ...overrides,
  });
}
