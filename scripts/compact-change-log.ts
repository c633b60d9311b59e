/**
 * `npm run compact:changes`: starts the next epoch of the read-model change log in
 * MONGODB_URI and deletes the epochs before the one just ended (read-model/change-log.ts).
 * Every running API process then reads all summaries and open tasks again (seconds at
 * 100,000 processes, during which search and the dashboard wait), so run it off-hours when
 * the log has grown large (the `process_index_log_position` gauge on /metrics counts it),
 * not on a short timer.
 */
import { loadConfig } from '../config/env.js';
import { connectDb } from '../models/db.js';
import { createModels } from '../models/index.js';
import { compactChangeLog } from '../read-model/change-log.js';

async function main(): Promise<void> {
  const conn = await connectDb(loadConfig().MONGODB_URI);
  try {
    const { epoch, removed } = await compactChangeLog(createModels(conn));
    console.log(`compact:changes: now writing epoch ${epoch}; removed ${removed} entries of older epochs`);
  } finally {
    await conn.close();
  }
}

main().catch((err: unknown) => {
  console.error('compact:changes:', err instanceof Error ? err.message : err);
  process.exit(1);
});
