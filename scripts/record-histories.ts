/**
 * `npm run record:histories [scenario or history names…]`: runs the scenarios of
 * tests/replay/scenarios.ts on throwaway real servers (Temporal dev server, FerretDB) with
 * the real worker and the real app in-process (the scenarios start and step processes
 * through the HTTP API), and writes each recorded history to tests/histories/<name>.json
 * with its workflow ID beside it in <name>.workflow-id (API-started processes have
 * business IDs, some with a random part, and the replay needs the same ID). Re-record
 * after an intended change of a workflow's commands; the replay test guards the rest.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { execFileSync } from 'node:child_process';
import { freePort, repoRoot, startFerretDb, startTemporalDevServer, tools } from './lib/services.js';
import { connectDb } from '../models/db.js';
import { createModels, syncIndexes } from '../models/index.js';
import { createActivities } from '../activities/index.js';
import { scenarios, type ScenarioContext } from '../tests/replay/scenarios.js';
import { loadTree } from '../tests/support/fixtures.js';
import { loadDemoData } from '../data/load-demo.js';
import { seedPolicies } from '../models/policy.js';
import { completeTask } from '../api/tasks/completion.js';
import type { TaskRecord } from '../models/task.js';
import { startTestApi } from '../tests/support/app.js';

const allWorkflowsPath = path.join(repoRoot, 'tests/fixtures/all-workflows.ts');
const only = process.argv.slice(2);

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dir = mkdtempSync(path.join(tmpdir(), 'tr-record-'));
  const temporalPort = await freePort();
  const mongoPort = await freePort();
  const temporalServer = await startTemporalDevServer({ port: temporalPort, uiPort: await freePort(), output: 'ignore' });
  const ferret = await startFerretDb({ port: mongoPort, dir: path.join(dir, 'db'), output: 'ignore' });
  const db = await connectDb(`mongodb://127.0.0.1:${mongoPort}/record`);
  const models = createModels(db);
  await syncIndexes(models);
  // The demo data first: it loads only into an empty organisation tree.
  await loadDemoData(models);
  await loadTree(models);
  await seedPolicies(models);
  const connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
  const client = new Client({ connection });
  const native = await NativeConnection.connect({ address: `127.0.0.1:${temporalPort}` });
  const taskQueue = 'record-histories';
  const worker = await Worker.create({ connection: native, taskQueue, workflowsPath: allWorkflowsPath, activities: createActivities({ models }) });
  const api = await startTestApi({ temporal: client, models, taskQueue });
  const ctx: ScenarioContext = {
    client,
    models,
    taskQueue,
    api,
    async openTask(processId, elementId) {
      for (let i = 0; i < 300; i++) {
        const task = await models.Task.findOne({ processId, elementId, status: 'open' }).lean();
        if (task) return task._id;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no open ${elementId} task in ${processId}`);
    },
    async complete(_handle, taskId, actor, payload) {
      // Through the API's completion, so the payload meets its form as a user's would.
      const task = await models.Task.findById(taskId).lean<TaskRecord>();
      if (!task) throw new Error(`no task ${taskId}`);
      await completeTask(client, task, actor, payload);
    },
  };
  const outDir = path.join(repoRoot, 'tests/histories');
  mkdirSync(outDir, { recursive: true });
  try {
    await worker.runUntil(async () => {
      for (const scenario of scenarios) {
        if (only.length > 0 && !only.includes(scenario.name) && !scenario.histories.some((h) => only.includes(h))) continue;
        const recorded = await scenario.run(ctx);
        const names = recorded.map((r) => r.history).sort();
        if (names.join() !== [...scenario.histories].sort().join()) throw new Error(`${scenario.name} recorded ${names.join(', ')}, declares ${scenario.histories.join(', ')}`);
        for (const { history, workflowId, runId } of recorded) {
          // The CLI writes the standard JSON form of a history (what the Web UI downloads too).
          const args = ['workflow', 'show', '--address', `127.0.0.1:${temporalPort}`, '-w', workflowId, ...(runId ? ['-r', runId] : []), '-o', 'json'];
          const json = execFileSync(tools.temporal, args, { encoding: 'utf8' });
          writeFileSync(path.join(outDir, `${history}.json`), json);
          writeFileSync(path.join(outDir, `${history}.workflow-id`), `${workflowId}\n`);
          console.log(`recorded ${history}: ${workflowId} (${(JSON.parse(json) as { events: unknown[] }).events.length} events)`);
        }
      }
    });
  } finally {
    await api.close();
    await connection.close();
    await native.close();
    await db.close();
    await ferret.stop();
    await temporalServer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
