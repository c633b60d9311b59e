/**
 * `npm run bench:worker-memory [-- --count 10000 --concurrency 4 --window 10 --cache N --bundle-at-start --backend sqlite|postgresql --uri mongodb://… --temporal host:port]`:
 * the worker's resident memory with many open workflows. Starts a Temporal dev server
 * and FerretDB on free ports (or uses the given ones), loads the Yiwu demo data, runs the
 * real worker as a child process (`node --import tsx worker/main.ts`, with the prebuilt
 * workflow bundle unless --bundle-at-start), starts N rectifications with the raw client
 * and an input built as POST /api/v1/rectifications builds it, waits until each has
 * opened its plan task (task records read by `_id`) and the worker is idle, and prints
 * the worker's VmRSS (from /proc/<pid>/status) before and after, with the number of
 * cached workflows the worker reports. `measureWorkerMemory` is exported for other
 * benchmarks (scripts/bench-core.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { freePort, repoRoot, startFerretDb, startTemporalDevServer } from './lib/services.js';
import { startPostgresFerretDb } from './lib/postgres-ferretdb.js';
import { connectDb } from '../models/db.js';
import { createModels, syncIndexes, type Models } from '../models/index.js';
import { seedPolicies } from '../models/policy.js';
import { loadDemoData } from '../data/load-demo.js';
import { loadOrg } from '../api/auth/access.js';
import type { Principal } from '../api/http/endpoint.js';
import { rectificationProcessId, resolveRectification } from '../api/rectifications/resolve.js';
import { localDateOf } from '../domain/calendar.js';
import { rectificationProcess, type RectificationInput } from '../workflows/rectification.js';
import { RECTIFICATION_PROCESS_TYPE } from '../workflows/rectification.model.js';
import { buildWorkflowBundle } from '../worker/bundle.js';
import { processStartOptions } from '../api/processes/start.js';

export interface WorkerMemoryOptions {
  /** Open workflows to reach (default 10,000). */
  count?: number;
  /** Starts in flight at once, with the raw client (default 4). */
  concurrency?: number;
  /** Workflows started whose plan task is not open yet, at most (default 10: with 100, the activities'
   * appends to the change log collided so often that most timed out and a workflow took minutes). */
  window?: number;
  /** Stops the run (and its servers) early. */
  signal?: AbortSignal;
  /** WORKER_MAX_CACHED_WORKFLOWS for the worker; default: the worker's own default (config/env.ts). */
  maxCachedWorkflows?: number;
  /** Let the worker bundle workflows/ at start instead of giving it a prebuilt bundle. */
  bundleAtStart?: boolean;
  /** An existing Temporal frontend (host:port); default: a dev server of our own. */
  temporalAddress?: string;
  /** An existing MongoDB-protocol server (with the demo data or empty); default: FerretDB of our own. */
  mongoUri?: string;
  /** The backend of our own FerretDB: SQLite (the run command's default) or PostgreSQL (Debian's package). */
  backend?: 'sqlite' | 'postgresql';
  /** More environment for the worker. */
  workerEnv?: Record<string, string>;
  log?: (line: string) => void;
}

export interface MemorySample {
  /** Workflows whose plan task was open when the sample was taken. */
  open: number;
  rssMiB: number;
  /** The worker's main-thread V8 heap (activities, the SDK); the workflows run in a worker thread of their own. */
  heapUsedMiB: number;
  cachedWorkflows: number | undefined;
}

export interface WorkerMemoryResult {
  count: number;
  /** The worker's cache size, as it reported it at start. */
  maxCachedWorkflows: number | undefined;
  bundle: 'prebuilt' | 'at start';
  /** RSS right after the worker started polling. */
  fresh: MemorySample;
  /** RSS with every workflow open and the worker idle. */
  loaded: MemorySample;
  /** Peak RSS of the worker over the run (VmHWM). */
  peakRssMiB: number;
  /** Samples taken while the workflows were opening. */
  samples: MemorySample[];
  /** (loaded − fresh) / cached workflows, in KiB. */
  perCachedWorkflowKiB: number | undefined;
  startsPerSecond: number;
  seconds: number;
}

interface WorkerStatusReply {
  status: { numCachedWorkflows: number; numInFlightWorkflowActivations: number; numInFlightActivities: number };
  memory: NodeJS.MemoryUsage;
}

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** VmRSS and VmHWM of a process, in MiB (Linux). */
export function processMemory(pid: number): { rssMiB: number; peakRssMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakRssMiB: kib('VmHWM') / 1024 };
}

/** Asks the worker (over its IPC channel) for the SDK's status and its heap. */
function workerStatus(child: ChildProcess, timeoutMs = 5_000): Promise<WorkerStatusReply | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      resolve(undefined);
    }, timeoutMs);
    const onMessage = (message: unknown) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message as WorkerStatusReply);
    };
    child.on('message', onMessage);
    child.send('status');
  });
}

async function sample(child: ChildProcess, open: number): Promise<MemorySample> {
  const reply = await workerStatus(child);
  return {
    open,
    rssMiB: processMemory(child.pid as number).rssMiB,
    heapUsedMiB: reply ? reply.memory.heapUsed / MiB : NaN,
    cachedWorkflows: reply?.status.numCachedWorkflows,
  };
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index] as T, index);
      }
    }),
  );
}

/** Starts the worker process and waits until it polls. */
async function startWorker(env: Record<string, string>, log: (line: string) => void): Promise<{ child: ChildProcess; cache: number | undefined }> {
  const child = fork(path.join(repoRoot, 'worker/main.ts'), [], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const polling = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      for (const line of text.split('\n')) if (line.trim()) log(`  [worker] ${line}`);
      if (output.includes('worker: polling')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the worker exited (${code}) before polling:\n${output}`)));
  });
  await polling;
  const cache = /cache (\d+) workflows/.exec(output)?.[1];
  return { child, cache: cache === undefined ? undefined : Number(cache) };
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** The rectification input for feedback `feedbackId`, as the API's start endpoint builds it. */
async function rectificationInputs(models: Models): Promise<(feedbackId: string) => RectificationInput> {
  const principal: Principal = { sub: 'bench-yiwu-co', role: 'caseOfficer', orgId: 'yiwu-dic', personId: 'p-yiwu-co' };
  const target = await loadOrg(models, 'futang-pc');
  const issuer = await loadOrg(models, 'yiwu-dic');
  if (!target || !issuer) throw new Error('the demo organisations futang-pc and yiwu-dic are missing');
  const placeholder = 'bench-feedback-id';
  const template = await resolveRectification(models, { principal, target, issuer, issuerOrgId: principal.orgId, feedbackId: placeholder, channel: 'written' });
  const feedbackDate = localDateOf(Date.now());
  return (feedbackId) => ({
    ...template,
    identity: { ...template.identity, title: template.identity.title.replace(placeholder, feedbackId) },
    feedbackId,
    feedbackDate,
    findings: [
      { findingId: 'F1', title: 'meetings not held', detail: 'the PC did not hold the quarterly clean-government meetings' },
      { findingId: 'F2', title: 'reports late', detail: 'the annual report was handed in after the due date' },
    ],
  });
}

export async function measureWorkerMemory(options: WorkerMemoryOptions = {}): Promise<WorkerMemoryResult> {
  const count = options.count ?? 10_000;
  const concurrency = options.concurrency ?? 4;
  const window = options.window ?? 10;
  const log = options.log ?? ((line: string) => console.log(line));
  const began = Date.now();
  /** Stops the servers we started, last first. */
  const stops: Array<() => Promise<void>> = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'tr-bench-worker-memory-'));
  let worker: ChildProcess | undefined;
  let connection: Connection | undefined;
  let db: Awaited<ReturnType<typeof connectDb>> | undefined;
  try {
    let temporalAddress = options.temporalAddress;
    if (!temporalAddress) {
      const port = await freePort();
      const temporal = await startTemporalDevServer({ port, uiPort: await freePort(), output: 'ignore' });
      stops.push(() => temporal.stop());
      temporalAddress = `127.0.0.1:${port}`;
    }
    let mongoUri = options.mongoUri;
    if (!mongoUri && options.backend === 'postgresql') {
      chmodSync(dir, 0o755); // PostgreSQL runs as its own user (under root: `postgres`) and must reach its folder
      const pg = await startPostgresFerretDb(path.join(dir, 'postgresql'));
      stops.push(() => pg.stop());
      mongoUri = `${pg.uri}bench-worker-memory`;
    } else if (!mongoUri) {
      const port = await freePort();
      const ferret = await startFerretDb({ port, dir: path.join(dir, 'ferretdb'), output: 'ignore' });
      stops.push(() => ferret.stop());
      mongoUri = `mongodb://127.0.0.1:${port}/bench-worker-memory`;
    }
    log(`servers: Temporal ${temporalAddress}, MongoDB ${mongoUri}`);
    db = await connectDb(mongoUri);
    const models = createModels(db);
    await syncIndexes(models);
    await loadDemoData(models);
    await seedPolicies(models);
    const inputFor = await rectificationInputs(models);

    const taskQueue = `bench-worker-memory-${Date.now().toString(36)}`;
    const env: Record<string, string> = { TEMPORAL_ADDRESS: temporalAddress, MONGODB_URI: mongoUri, TASK_QUEUE: taskQueue, ...options.workerEnv };
    if (options.maxCachedWorkflows !== undefined) env.WORKER_MAX_CACHED_WORKFLOWS = String(options.maxCachedWorkflows);
    if (!options.bundleAtStart) {
      const bundle = await buildWorkflowBundle(path.join(dir, 'workflow-bundle.js'), { quiet: true });
      log(`workflow bundle: ${(bundle.bytes / 1024).toFixed(0)} KB`);
      env.WORKFLOW_BUNDLE = bundle.path;
    }
    const { child, cache } = await startWorker(env, log);
    worker = child;
    await sleep(3_000);
    const fresh = await sample(worker, 0);
    log(`fresh worker: RSS ${fresh.rssMiB.toFixed(0)} MiB, main-thread heap ${fresh.heapUsedMiB.toFixed(0)} MiB`);

    connection = await Connection.connect({ address: temporalAddress });
    const client = new Client({ connection });
    const runTag = Date.now().toString(36);
    const ids = Array.from({ length: count }, (_, i) => `bench-${runTag}-${i}`);
    const processIds = ids.map((feedbackId) => rectificationProcessId('futang-pc', feedbackId));
    const startBegan = Date.now();
    const start = async (i: number) => {
      const input = inputFor(ids[i] as string);
      await client.workflow.start(
        rectificationProcess,
        processStartOptions({ workflowId: processIds[i] as string, processType: RECTIFICATION_PROCESS_TYPE, orgId: input.identity.orgId, orgPath: input.identity.orgPath, taskQueue, args: [input] }),
      );
    };
    // A sliding window: at most `window` workflows started whose plan task is not open yet.
    // The database, not the worker, sets the pace; a flood of starts would only pile up
    // activities that time out and retry.
    const samples: MemorySample[] = [];
    const pending = new Set<number>();
    let nextToStart = 0;
    let startSeconds = 0;
    let open = 0;
    let nextSampleAt = Math.min(1000, count);
    let lastProgress = Date.now();
    while (open < count) {
      if (options.signal?.aborted) throw new Error('aborted');
      if (child.exitCode !== null) throw new Error(`the worker exited (${child.exitCode})`);
      const toStart: number[] = [];
      while (nextToStart < count && pending.size + toStart.length < window) toStart.push(nextToStart++);
      if (toStart.length > 0) {
        const began = Date.now();
        await pool(toStart, concurrency, async (i) => {
          await start(i);
          pending.add(i);
        });
        startSeconds += (Date.now() - began) / 1000;
      }
      // The plan task's record, by `_id` (the only lookup FerretDB answers from an index).
      const found: number[] = [];
      await pool([...pending], 4, async (i) => {
        if (await models.Task.exists({ _id: `${processIds[i] as string}:planTask:1` })) found.push(i);
      });
      for (const i of found) pending.delete(i);
      open += found.length;
      if (found.length > 0) lastProgress = Date.now();
      else if (Date.now() - lastProgress > 60_000) {
        log(`no plan task opened for 60 s (${open}/${count} open, ${pending.size} pending)`);
        lastProgress = Date.now();
      }
      if (open >= nextSampleAt) {
        const s = await sample(child, open);
        samples.push(s);
        log(`open ${open}/${count} after ${((Date.now() - startBegan) / 1000).toFixed(0)} s: RSS ${s.rssMiB.toFixed(0)} MiB, main-thread heap ${s.heapUsedMiB.toFixed(0)} MiB, cached ${s.cachedWorkflows ?? '?'}`);
        while (nextSampleAt <= open) nextSampleAt += 1000;
        nextSampleAt = Math.min(nextSampleAt, count);
      }
      if (found.length === 0) await sleep(500);
    }
    const startsPerSecond = count / startSeconds;

    // Idle: nothing in flight for three samples in a row (the last notifications and summaries).
    for (let quiet = 0, tries = 0; quiet < 3 && tries < 120; tries++) {
      await sleep(1_000);
      const reply = await workerStatus(worker);
      quiet = reply && reply.status.numInFlightWorkflowActivations === 0 && reply.status.numInFlightActivities === 0 ? quiet + 1 : 0;
    }
    const loaded = await sample(worker, open);
    const { peakRssMiB } = processMemory(worker.pid as number);
    const cached = loaded.cachedWorkflows;
    return {
      count,
      maxCachedWorkflows: cache,
      bundle: options.bundleAtStart ? 'at start' : 'prebuilt',
      fresh,
      loaded,
      peakRssMiB,
      samples,
      perCachedWorkflowKiB: cached ? ((loaded.rssMiB - fresh.rssMiB) * 1024) / cached : undefined,
      startsPerSecond,
      seconds: (Date.now() - began) / 1000,
    };
  } finally {
    if (worker) await stopWorker(worker);
    await connection?.close();
    await db?.close();
    for (const stop of stops.reverse()) await stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  // Ctrl-C or SIGTERM: stop at the next step and still stop the worker and the servers.
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  process.once('SIGTERM', () => abort.abort());
  const number = (name: string) => {
    const value = flag(name);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number`);
    return n;
  };
  const result = await measureWorkerMemory({
    count: number('count'),
    concurrency: number('concurrency'),
    window: number('window'),
    signal: abort.signal,
    maxCachedWorkflows: number('cache'),
    bundleAtStart: process.argv.includes('--bundle-at-start'),
    temporalAddress: flag('temporal'),
    mongoUri: flag('uri'),
    backend: flag('backend') === 'postgresql' ? 'postgresql' : 'sqlite',
  });
  const mib = (n: number) => `${n.toFixed(0)} MiB`;
  console.log('\nworker memory');
  console.log(`  open workflows          ${result.count}`);
  console.log(`  cache setting           ${result.maxCachedWorkflows ?? '?'} workflows`);
  console.log(`  workflow bundle         ${result.bundle}`);
  console.log(`  RSS fresh               ${mib(result.fresh.rssMiB)}`);
  console.log(`  RSS with all open       ${mib(result.loaded.rssMiB)}  (main-thread heap ${mib(result.loaded.heapUsedMiB)})`);
  console.log(`  RSS peak (VmHWM)        ${mib(result.peakRssMiB)}`);
  console.log(`  cached workflows        ${result.loaded.cachedWorkflows ?? '?'}`);
  console.log(`  per cached workflow     ${result.perCachedWorkflowKiB === undefined ? '?' : `${result.perCachedWorkflowKiB.toFixed(0)} KiB`}`);
  console.log(`  raw starts              ${result.startsPerSecond.toFixed(1)}/s (while starting)`);
  console.log(`  took                    ${result.seconds.toFixed(0)} s`);
  const pass = result.loaded.rssMiB < 1024 && result.peakRssMiB < 1024;
  console.log(`  target RSS < 1 GiB      ${pass ? 'PASS' : 'FAIL'} (with all open and at peak)`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
