/** Worker process entry: runs every workflow and activity of the service until SIGTERM/SIGINT. */
import path from 'node:path';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { loadConfig } from '../config/env.js';
import { connectDb } from '../models/db.js';
import { createModels, syncIndexes } from '../models/index.js';
import { createWorker } from './create-worker.js';

/**
 * When started with an IPC channel (the memory benchmark, scripts/bench-worker-memory.ts),
 * answers `'status'` with the SDK's worker status (cached workflows, in-flight tasks) and
 * the process's memory. The channel does not keep the process alive.
 */
function answerStatusRequests(worker: Worker): void {
  if (!process.send) return;
  process.on('message', (message) => {
    if (message === 'status') process.send?.({ status: worker.getStatus(), memory: process.memoryUsage() });
  });
  process.channel?.unref();
}

async function run(): Promise<void> {
  const config = loadConfig();
  const db = await connectDb(config.MONGODB_URI);
  const models = createModels(db);
  await syncIndexes(models);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  try {
    const worker = await createWorker({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TASK_QUEUE,
      models,
      ...(config.WORKFLOW_BUNDLE ? { workflowBundlePath: path.resolve(config.WORKFLOW_BUNDLE) } : {}),
      maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
      ...(config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS !== undefined ? { maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS } : {}),
    });
    answerStatusRequests(worker);
    console.log(
      `worker: polling task queue "${config.TASK_QUEUE}" on ${config.TEMPORAL_ADDRESS} ` +
        `(${config.WORKFLOW_BUNDLE ? `bundle ${config.WORKFLOW_BUNDLE}` : 'workflows bundled at start'}, cache ${config.WORKER_MAX_CACHED_WORKFLOWS} workflows)`,
    );
    // The SDK's runtime turns SIGINT/SIGTERM into a graceful shutdown: run() resolves
    // after in-flight activities finish or their cancellation is delivered.
    await worker.run();
  } finally {
    await connection.close();
    await db.close();
  }
}

run().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
