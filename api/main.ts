/** API process entry: listens on PORT and shuts down cleanly on SIGTERM/SIGINT. */
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../config/env.js';
import { connectDb } from '../models/db.js';
import { createModels, syncIndexes } from '../models/index.js';
import { createApp } from './app.js';
import { seedPolicies } from '../models/policy.js';
import { loadDemoData } from '../data/load-demo.js';
import { ProcessIndex } from '../read-model/process-index.js';

async function run(): Promise<void> {
  const config = loadConfig();
  const db = await connectDb(config.MONGODB_URI);
  const models = createModels(db);
  await syncIndexes(models);
  // Policy version 1 of every duty and process, from the repo's catalogue (never overwrites an edit).
  await seedPolicies(models);
  if (config.LOAD_DEMO_DATA) {
    const demo = await loadDemoData(models);
    if (demo.created) console.log(`api: loaded the Yiwu demo data (${demo.orgs} organisations, ${demo.people} people)`);
  }
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const processIndex = new ProcessIndex(models, { onError: (err) => console.error('api: process index:', err) });
  const app = createApp({ config, temporal, models, processIndex });
  const server = app.listen(config.PORT, () => {
    console.log(`api: listening on http://127.0.0.1:${config.PORT}`);
    // Load the index now rather than on the first search (a full read: seconds at 100,000 processes).
    const began = Date.now();
    processIndex.current().then(
      (index) => console.log(`api: process index loaded: ${index.stats().summaries} processes, ${index.stats().openTasks} open tasks in ${Date.now() - began} ms`),
      (err: unknown) => console.error('api: process index not loaded yet (retried on the next request):', err),
    );
  });
  const shutdown = () => {
    processIndex.stop();
    server.close(() => {
      void Promise.allSettled([connection.close(), db.close()]).then(() => process.exit(0));
    });
    server.closeAllConnections();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

run().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
