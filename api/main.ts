/** API process entry: listens on PORT and shuts down cleanly on SIGTERM/SIGINT. */
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../config/env.js';
import { connectDb } from '../models/db.js';
import { createModels, syncIndexes } from '../models/index.js';
import { createApp } from './app.js';

async function run(): Promise<void> {
  const config = loadConfig();
  const db = await connectDb(config.MONGODB_URI);
  const models = createModels(db);
  await syncIndexes(models);
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const app = createApp({ config, temporal, models });
  const server = app.listen(config.PORT, () => {
    console.log(`api: listening on http://127.0.0.1:${config.PORT}`);
  });
  const shutdown = () => {
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
