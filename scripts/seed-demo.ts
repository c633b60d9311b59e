/**
 * `npm run seed`: loads the Yiwu demo organisations and people into MONGODB_URI when the
 * database has no organisations yet; otherwise says so and changes nothing.
 */
import { loadConfig } from '../config/env.js';
import { connectDb } from '../models/db.js';
import { createModels, syncIndexes } from '../models/index.js';
import { loadDemoData } from '../data/load-demo.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const conn = await connectDb(config.MONGODB_URI);
  try {
    const models = createModels(conn);
    await syncIndexes(models);
    const result = await loadDemoData(models);
    console.log(
      result.created
        ? `seed: loaded the Yiwu demo data (${result.orgs} organisations, ${result.people} people)`
        : 'seed: organisations already present; nothing loaded',
    );
  } finally {
    await conn.close();
  }
}

main().catch((err: unknown) => {
  console.error('seed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
