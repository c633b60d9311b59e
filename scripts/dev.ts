/**
 * The run command's orchestrator (scripts/run.sh calls it after bootstrapping):
 * starts a local Temporal dev server and a MongoDB-compatible server with their data
 * under DATA_DIR unless TEMPORAL_ADDRESS / MONGODB_URI point at existing ones, then
 * the worker and the API; prints the URLs; Ctrl-C or SIGTERM stops every child.
 */
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { postgresAvailable, startPostgresFerretDb } from './lib/postgres-ferretdb.js';
import { loadConfig } from '../config/env.js';
import { API_NODE_FLAGS } from '../config/node-flags.js';
import {
  portOpen,
  repoRoot,
  spawnService,
  startFerretDb,
  startMongod,
  startTemporalDevServer,
  waitForPort,
  type RunningService,
} from './lib/services.js';

const TEMPORAL_UI_PORT = Number(process.env.TEMPORAL_UI_PORT ?? 8233);
const LOCAL_TEMPORAL = '127.0.0.1:7233';
const LOCAL_MONGO_PORT = Number(process.env.LOCAL_MONGO_PORT ?? 27017);

const started: RunningService[] = [];
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log('run: stopping…');
    // Reverse order: API and worker first, then the servers they use.
    for (const service of [...started].reverse()) await service.stop();
    console.log('run: stopped');
  }
  process.exit(code);
}

function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Which MongoDB-protocol server the run command starts: `mongod` when it is on PATH; else
 * FerretDB on PostgreSQL (`postgresql`), which keeps up with concurrent writes far better than
 * FerretDB on SQLite (docs/benchmarks.md); FerretDB on SQLite (`ferretdb`) where PostgreSQL
 * cannot run, or where an earlier run's SQLite data is there and no PostgreSQL data yet (the
 * data stays where it is). `MONGO_BACKEND=ferretdb|postgresql|mongod` chooses outright.
 */
function mongoBackend(dataDir: string): 'mongod' | 'postgresql' | 'ferretdb' {
  const chosen = process.env.MONGO_BACKEND;
  if (chosen === 'mongod' || chosen === 'postgresql' || chosen === 'ferretdb') return chosen;
  if (chosen) throw new Error(`MONGO_BACKEND must be ferretdb, postgresql or mongod, not ${chosen}`);
  if (hasCommand('mongod')) return 'mongod';
  const earlierSqlite = existsSync(path.join(dataDir, 'ferretdb')) && !existsSync(path.join(dataDir, 'postgresql'));
  return postgresAvailable() && !earlierSqlite ? 'postgresql' : 'ferretdb';
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  const config = loadConfig();
  const dataDir = path.resolve(repoRoot, config.DATA_DIR);
  // The run command is for trying the service: the demo organisations load into an empty database.
  const env: NodeJS.ProcessEnv = { LOAD_DEMO_DATA: process.env.LOAD_DEMO_DATA ?? 'true' };

  let temporalUi: string | undefined;
  if (process.env.TEMPORAL_ADDRESS) {
    console.log(`run: using Temporal at ${config.TEMPORAL_ADDRESS}`);
    temporalUi = process.env.TEMPORAL_UI_URL;
  } else {
    if (await portOpen(7233)) throw new Error('port 7233 is taken: stop what holds it, or set TEMPORAL_ADDRESS to use that server');
    started.push(await startTemporalDevServer({ port: 7233, uiPort: TEMPORAL_UI_PORT, dbFile: path.join(dataDir, 'temporal.db') }));
    env.TEMPORAL_ADDRESS = LOCAL_TEMPORAL;
    temporalUi = `http://127.0.0.1:${TEMPORAL_UI_PORT}`;
    env.TEMPORAL_UI_URL = temporalUi;
  }

  if (process.env.MONGODB_URI) {
    console.log('run: using MongoDB at MONGODB_URI');
  } else {
    if (await portOpen(LOCAL_MONGO_PORT)) throw new Error(`port ${LOCAL_MONGO_PORT} is taken: stop what holds it, or set MONGODB_URI`);
    const backend = mongoBackend(dataDir);
    console.log(`run: MongoDB-protocol server: ${backend} (data in ${path.join(dataDir, backend)})`);
    const dir = path.join(dataDir, backend);
    if (backend === 'mongod') started.push(await startMongod({ port: LOCAL_MONGO_PORT, dir }));
    else if (backend === 'ferretdb') started.push(await startFerretDb({ port: LOCAL_MONGO_PORT, dir }));
    else started.push(await startPostgresFerretDb(dir, { persistent: true, port: LOCAL_MONGO_PORT, output: 'prefix' }));
    env.MONGODB_URI = `mongodb://127.0.0.1:${LOCAL_MONGO_PORT}/two-responsibilities`;
  }

  const node = (name: string, entry: string, flags: string[] = []) =>
    spawnService(name, process.execPath, [...flags, '--import', 'tsx', entry], { env, output: 'prefix' });

  const worker = node('worker', 'worker/main.ts');
  started.push(worker);
  const api = node('api', 'api/main.ts', API_NODE_FLAGS);
  started.push(api);
  await waitForPort(config.PORT, api, 120_000);

  // The API and worker are what the user runs: if one dies, stop everything. A database
  // server that stops is only reported: the API keeps answering (503 on /health) and
  // both processes reconnect when it is back.
  for (const service of started) {
    service.child.once('exit', (code) => {
      if (stopping) return;
      if (service === api || service === worker) {
        console.error(`run: ${service.name} exited (code ${code}); stopping everything`);
        void stopAll(1);
      } else {
        console.error(`run: ${service.name} exited (code ${code}); /health reports it until it is back`);
      }
    });
  }

  const base = `http://127.0.0.1:${config.PORT}`;
  console.log(
    [
      '',
      'run: the service is up',
      `  API          ${base}/api/v1`,
      `  Console      ${base}/console`,
      `  API docs     ${base}/docs`,
      `  Health       ${base}/health`,
      ...(temporalUi ? [`  Temporal UI  ${temporalUi}`] : []),
      `  Data         ${dataDir}`,
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch(async (err: unknown) => {
  console.error('run:', err instanceof Error ? err.message : err);
  await stopAll(1);
});
