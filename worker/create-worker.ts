import { existsSync } from 'node:fs';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import type { Models } from '../models/index.js';
import { workflowsPath } from './bundle.js';

export { workflowsPath };

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  models: Models;
  /** A prebuilt workflow bundle (`npm run build:workflows`); without it the worker bundles `workflows/` at start. */
  workflowBundlePath?: string;
  /** Workflows kept in memory between their tasks (the SDK's default when not given). */
  maxCachedWorkflows?: number;
  /** Workflow tasks run at once (the SDK's default when not given). */
  maxConcurrentWorkflowTaskExecutions?: number;
  /** Tests may narrow or extend what the worker runs. */
  overrides?: Partial<WorkerOptions>;
}

/** The one place a worker is put together, for the process entry and for tests alike. */
export function createWorker({
  connection,
  namespace,
  taskQueue,
  models,
  workflowBundlePath,
  maxCachedWorkflows,
  maxConcurrentWorkflowTaskExecutions,
  overrides,
}: WorkerDeps): Promise<Worker> {
  if (workflowBundlePath && !existsSync(workflowBundlePath)) {
    throw new Error(`workflow bundle ${workflowBundlePath} not found: run npm run build:workflows, or unset WORKFLOW_BUNDLE to bundle at start`);
  }
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    ...(workflowBundlePath ? { workflowBundle: { codePath: workflowBundlePath } } : { workflowsPath }),
    ...(maxCachedWorkflows !== undefined ? { maxCachedWorkflows } : {}),
    ...(maxConcurrentWorkflowTaskExecutions !== undefined ? { maxConcurrentWorkflowTaskExecutions } : {}),
    activities: createActivities({ models }),
    ...overrides,
  });
}
