/** Worker process entry: runs every workflow and activity of the service until SIGTERM/SIGINT. */
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../config/env.js';
import { connectDb } from '../models/db.js';
import { createModels, syncIndexes } from '../models/index.js';
import { createWorker } from './create-worker.js';

async function run(): Promise<void> {
  const config = loadConfig();
  const db = await connectDb(config.MONGODB_URI);
  const models = createModels(db);
  await syncIndexes(models);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  try {
    const worker = await createWorker({ connection, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TASK_QUEUE, models, webhookSecret: config.AUTH_SECRET });
    console.log(`worker: polling task queue "${config.TASK_QUEUE}" on ${config.TEMPORAL_ADDRESS}`);
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
