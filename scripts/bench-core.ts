/**
 * `npm run bench:core -- [--sizes 1000,10000,100000] [--open-workflows 10000] [--open-wait 600] [--samples 40]
 *                        [--budget 60] [--backend sqlite|postgresql] [--uri mongodb://…]`
 *
 * Issue 11's benchmark of the core path: starts, completions, inboxes, the step to the next
 * assignee, search and the dashboard under write load, and memory, as the store grows.
 *
 * It starts everything itself, as the run command does on its embedded default: FerretDB on
 * PostgreSQL where it can run, on a throwaway cluster (`--backend sqlite`: on SQLite in a
 * temp dir, as where PostgreSQL cannot run; or the server at
 * `--uri`, in a fresh database dropped afterwards), a Temporal dev server with the service's
 * search attributes (SQLite file in a temp dir), and the real worker and API as child
 * processes, so their memory can be read from /proc. Then, for each size, cumulatively
 * (seed 1,000; measure; add 9,000; measure; …), it seeds process summaries and tasks
 * (scripts/seed-processes.ts) and measures, over loopback only:
 *
 *  1. inboxes: `GET /api/v1/tasks?status=open` as Futang's unit and as a Yiwu DIC supervisor;
 *  2. completions of a plan task: `POST /api/v1/tasks/{id}/complete` against raw
 *     `executeUpdate` with the same payload, alternated, each on its own prepared workflow,
 *     and after each the step latency: completion answered → the review task listed in the
 *     reviewer's inbox (API) or stored (raw: an `_id` lookup through the driver);
 *  3. starts: `POST /api/v1/rectifications` against the raw Temporal client starting the same
 *     workflow with the same input (resolved once, the way the API resolves it), alternated
 *     sample by sample at concurrency 1, round by round at concurrency 16; then a bounded wait
 *     until the worker has opened every started process's plan task (its backlog drained);
 *  4. search and the dashboard, sequentially, while 4 loops start and complete through the API;
 *  5. worker and API memory (VmRSS).
 * At the end it starts `--open-workflows` rectifications raw and reads the worker's memory
 * once they have opened their plan task (starting and waiting bounded by `--open-wait` seconds each).
 *
 * Every measurement stops at its sample count or after `--budget` seconds, every wait is
 * bounded, and the children and temp dirs are removed at the end, on error and on Ctrl-C.
 * Exit code 2 when a target is missed (docs/benchmarks.md).
 */
import { postgresAvailable } from './lib/postgres-ferretdb.js';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import type { Connection as MongooseConnection } from 'mongoose';
import { actorOf, signToken } from '../api/auth/tokens.js';
import { loadOrg } from '../api/auth/access.js';
import type { Principal } from '../api/http/endpoint.js';
import { rectificationProcessId, resolveRectification, type RectificationTemplate } from '../api/rectifications/resolve.js';
import { addMonths, localDateOf } from '../domain/calendar.js';
import { connectDb } from '../models/db.js';
import { createModels, type Models } from '../models/index.js';
import { completeTaskUpdate } from '../workflows/messages.js';
import { rectificationProcess, type RectificationInput } from '../workflows/rectification.js';
import { RECTIFICATION_PROCESS_TYPE } from '../workflows/rectification.model.js';
import { SEARCH_PATH, figures, loadAverage, machineLine, ms, serverVersion, startBenchDatabase, type Figures } from './lib/bench.js';
import { freePort, repoRoot, startTemporalDevServer, tools, waitForPort, type RunningService } from './lib/services.js';
import { seedProcesses } from './seed-processes.js';
import { API_NODE_FLAGS } from '../config/node-flags.js';
import { processStartOptions } from '../api/processes/start.js';

const SECRET = 'bench-core-secret-at-least-16-chars';
const TASK_QUEUE = 'bench-core';
/** Futang town PC rectifies; the Yiwu city DIC issues the feedback and, as Futang's upper-level DIC, reviews the plan. */
const TARGET_ORG = 'futang-pc';
const ISSUER_ORG = 'yiwu-dic';
const OFFICER: Principal = { sub: 'bench-co-yiwu', role: 'caseOfficer', orgId: 'yiwu-dic', personId: 'p-yiwu-co' };
const UNIT: Principal = { sub: 'bench-unit-futang', role: 'unit', orgId: 'futang-pc' };
const SUPERVISOR: Principal = { sub: 'bench-sv-yiwu', role: 'supervisor', orgId: 'yiwu-dic' };
const FINDINGS = [
  { title: 'Weak supervision of village cadres', detail: 'Three villages held no democratic-life meeting this year.' },
  { title: 'Procurement without tender', detail: 'Two contracts above the threshold were awarded directly.' },
];
const PLAN_ELEMENT = 'planTask';
const REVIEW_ELEMENT = 'reviewTask';
/** Task IDs are deterministic: `<processId>:<elementId>:<round>`. */
const taskIdOf = (processId: string, elementId: string) => `${processId}:${elementId}:1`;

/** Reads must answer within this (a slower answer counts as failed); writes get longer, as the API is known to be slow. */
const READ_TIMEOUT_MS = 10_000;
const WRITE_TIMEOUT_MS = 60_000;
/** How long one step (completion → next task visible) may take before it counts as failed. */
const STEP_TIMEOUT_MS = 30_000;
const STEP_POLL_MS = 20;
const CONCURRENCY = 16;
const LOAD_LOOPS = 4;
const OPEN_CONCURRENCY = 32;

const TARGETS = {
  startP50SlackMs: 30,
  startThroughputShare: 0.5,
  completionP99Factor: 1.5,
  growthFactor: 1.5,
  inboxP99Ms: 100,
  stepP99Ms: 1_000,
  readP99Ms: 200,
  workerRssMiB: 1024,
};

const sleep = (msToWait: number) => new Promise((r) => setTimeout(r, msToWait));
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const today = () => localDateOf(Date.now());
const count = (n: number) => n.toLocaleString('en-US');

// ---------------------------------------------------------------- samples

/** Durations of one side of a measurement, its failures (with the first reason) and, for throughput, the time it ran. */
class Series {
  times: number[] = [];
  failed = 0;
  firstError?: string;
  elapsedMs = 0;

  get attempts(): number {
    return this.times.length + this.failed;
  }

  /** Times `run`; a throw counts as a failure, not a sample. */
  async time(run: () => Promise<unknown>): Promise<number | undefined> {
    const began = performance.now();
    try {
      await run();
    } catch (err) {
      this.failed++;
      this.firstError ??= message(err);
      return undefined;
    }
    const took = performance.now() - began;
    this.times.push(took);
    return took;
  }

  get figures(): Figures {
    return figures(this.times);
  }

  /** Successful operations per second of the time this side ran. */
  get perSecond(): number {
    return this.elapsedMs > 0 ? this.times.length / (this.elapsedMs / 1000) : NaN;
  }
}

/** Runs `run(i)` for i < count with `concurrency` at a time, stopping new ones at `stopAt`. */
async function pool(total: number, concurrency: number, run: (i: number) => Promise<unknown>, stopAt = Infinity): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, total) }, async () => {
    while (next < total && Date.now() < stopAt) await run(next++);
  });
  await Promise.all(lanes);
}

// ---------------------------------------------------------------- child processes

interface Child extends RunningService {
  log: string;
}

/**
 * The worker or the API as the run command starts them (`node --import tsx <entry>`, as
 * scripts/dev.ts does): one process, so its /proc/<pid>/status is the service's own memory
 * (the `tsx` command would run the entry in a second process). Output goes to a log file in
 * the temp dir, whose tail is printed if the child dies. An IPC channel lets the worker
 * answer a status request (worker/main.ts), when it does.
 */
function spawnNode(name: string, entry: string, env: NodeJS.ProcessEnv, dir: string): Child {
  const log = path.join(dir, `${name}.log`);
  const fd = openSync(log, 'a');
  // Extra node flags for one child, to look inside it: e.g. BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env[`BENCH_${name.toUpperCase()}_NODE_ARGS`] ?? '').split(' ').filter(Boolean);
  // The API with the flags the run command gives it.
  const flags = name === 'api' ? API_NODE_FLAGS : [];
  const child = spawn(process.execPath, [...flags, ...nodeArgs, '--import', 'tsx', entry], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', fd, fd, 'ipc'] });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    child,
    log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

const logTail = (file: string, lines = 25) => {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
};

interface Memory {
  rssMiB: number;
  /** Peak RSS since the process started. */
  hwmMiB: number;
}

/** VmRSS and VmHWM from /proc (Linux); undefined elsewhere. */
function memoryOf(child: ChildProcess): Memory | undefined {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMiB: kb('VmRSS') / 1024, hwmMiB: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** The worker's own account of its cache, if it answers over IPC within a second. */
async function workerStatus(child: ChildProcess): Promise<{ cached?: number; activities?: number } | undefined> {
  if (!child.connected) return undefined;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      resolve(undefined);
    }, 1_000);
    const onMessage = (m: unknown) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      const status = (m as { status?: { numCachedWorkflows?: number; numInFlightActivities?: number } }).status;
      resolve(status ? { cached: status.numCachedWorkflows, activities: status.numInFlightActivities } : undefined);
    };
    child.on('message', onMessage);
    child.send('status');
  });
}

// ---------------------------------------------------------------- the service under test

interface Answer {
  status: number;
  body: unknown;
  behind: boolean;
  /** What the API says it waited for its process index (`Server-Timing: index;dur=`), when it read it. */
  indexWaitMs?: number;
  /** What the API says it took to have the answer ready (`Server-Timing: app;dur=`). */
  appMs?: number;
}

/** Everything a measurement needs: the API over HTTP, the raw Temporal client, the database through our own connection. */
class Bench {
  private seq = 0;
  private readonly tag = Date.now().toString(36);
  private readonly tokens = new Map<Principal, string>();

  constructor(
    readonly base: string,
    readonly temporal: Client,
    readonly models: Models,
    /** The start input the API builds, resolved once (the title's placeholder is replaced per start). */
    private readonly template: RectificationTemplate,
    private readonly placeholder: string,
    private readonly alive: () => void,
  ) {}

  /** A feedback ID no other sample uses (it names the process for good). */
  feedbackId(kind: string): string {
    return `bc-${this.tag}-${kind}-${++this.seq}`;
  }

  token(principal: Principal): string {
    let token = this.tokens.get(principal);
    if (!token) this.tokens.set(principal, (token = signToken(SECRET, principal, '24h')));
    return token;
  }

  async call(method: 'GET' | 'POST', urlPath: string, principal: Principal, body?: unknown, timeoutMs = READ_TIMEOUT_MS): Promise<Answer> {
    const res = await fetch(`${this.base}${urlPath}`, {
      method,
      headers: { authorization: `Bearer ${this.token(principal)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: kept as text for the error message
    }
    // The API marks an answer read from a process index that had not caught up yet.
    const timing = (name: string) => {
      const found = new RegExp(`(?:^|,)\\s*${name};dur=([\\d.]+)`).exec(res.headers.get('server-timing') ?? '');
      return found ? Number(found[1]) : undefined;
    };
    const [indexWaitMs, appMs] = [timing('index'), timing('app')];
    return {
      status: res.status,
      body: parsed,
      behind: res.headers.get('x-read-model-behind') === 'true',
      ...(indexWaitMs !== undefined ? { indexWaitMs } : {}),
      ...(appMs !== undefined ? { appMs } : {}),
    };
  }

  /** Like `call`, but anything other than `expected` throws (a failed sample). */
  async expect(expected: number, method: 'GET' | 'POST', urlPath: string, principal: Principal, body?: unknown, timeoutMs?: number): Promise<Answer> {
    const answer = await this.call(method, urlPath, principal, body, timeoutMs);
    if (answer.status !== expected) {
      this.alive();
      throw new Error(`${method} ${urlPath.split('?')[0]}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
    }
    return answer;
  }

  /** POST /api/v1/rectifications as the Yiwu DIC case officer; the process ID. */
  async apiStart(feedbackId: string): Promise<string> {
    const body = { targetOrgId: TARGET_ORG, issuingOrgId: ISSUER_ORG, feedbackId, feedbackDate: today(), channel: 'faceToFace', findings: FINDINGS };
    const answer = await this.expect(201, 'POST', '/api/v1/rectifications', OFFICER, body, WRITE_TIMEOUT_MS);
    return (answer.body as { processId: string }).processId;
  }

  /** The same workflow with the same input and start options as the API's (api/processes/start.ts), straight through the client. */
  async rawStart(feedbackId: string): Promise<string> {
    const workflowId = rectificationProcessId(TARGET_ORG, feedbackId);
    const input: RectificationInput = {
      ...this.template,
      identity: { ...this.template.identity, title: this.template.identity.title.replace(this.placeholder, feedbackId) },
      feedbackId,
      feedbackDate: today(),
      findings: FINDINGS.map((f, i) => ({ findingId: `F${i + 1}`, ...f })),
    };
    await this.temporal.workflow.start(
      rectificationProcess,
      processStartOptions({ workflowId, processType: RECTIFICATION_PROCESS_TYPE, orgId: input.target.orgId, orgPath: input.target.orgPath, taskQueue: TASK_QUEUE, args: [input] }),
    );
    return workflowId;
  }

  /** A valid plan for the two findings (domain/rectification/forms.ts). */
  planPayload() {
    return { items: FINDINGS.map((_, i) => ({ findingId: `F${i + 1}`, measures: `measures for F${i + 1}`, responsiblePersonId: 'p-futang-pl', targetDate: addMonths(today(), 6) })) };
  }

  async apiComplete(processId: string): Promise<void> {
    const taskId = taskIdOf(processId, PLAN_ELEMENT);
    await this.expect(200, 'POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`, UNIT, { payload: this.planPayload() }, WRITE_TIMEOUT_MS);
  }

  /** The update the API sends (api/tasks/endpoints.ts), with the same actor and payload. */
  async rawComplete(processId: string): Promise<void> {
    await this.temporal.workflow.getHandle(processId).executeUpdate(completeTaskUpdate, {
      args: [{ taskId: taskIdOf(processId, PLAN_ELEMENT), actor: actorOf(UNIT), payload: this.planPayload() }],
      updateId: `complete:${randomUUID()}`,
    });
  }

  /**
   * Whether the worker has stored a task (opened it; it may be completed since): an `_id`
   * lookup, the one read FerretDB answers without a scan.
   */
  async taskStored(taskId: string): Promise<boolean> {
    return (await this.models.Task.collection.findOne({ _id: taskId } as never, { projection: { _id: 1 } })) !== null;
  }

  /**
   * Waits until each task is stored, in order (they open roughly in the order their workflows
   * started), until `deadline`; the IDs that were.
   */
  async waitOpen(taskIds: string[], deadline: number): Promise<Set<string>> {
    const opened = new Set<string>();
    await pool(taskIds.length, 4, async (i) => {
      const id = taskIds[i] as string;
      while (Date.now() < deadline) {
        if (await this.taskStored(id)) return void opened.add(id);
        await sleep(200);
      }
    });
    return opened;
  }

  /** Polls the reviewer's inbox through the API until the process's review task is listed. */
  async reviewListed(processId: string): Promise<void> {
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    const query = `/api/v1/tasks?processId=${encodeURIComponent(processId)}&status=open`;
    while (Date.now() < deadline) {
      const answer = await this.expect(200, 'GET', query, OFFICER);
      if ((answer.body as { items: Array<{ elementId: string }> }).items.some((t) => t.elementId === REVIEW_ELEMENT)) return;
      await sleep(STEP_POLL_MS);
    }
    throw new Error(`no ${REVIEW_ELEMENT} in the reviewer's inbox ${STEP_TIMEOUT_MS / 1000} s after the completion`);
  }

  /** Polls the task store by `_id` until the review task is there (the raw side's "next task exists"). */
  async reviewStored(processId: string): Promise<void> {
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (await this.taskStored(taskIdOf(processId, REVIEW_ELEMENT))) return;
      await sleep(STEP_POLL_MS);
    }
    throw new Error(`no ${REVIEW_ELEMENT} stored ${STEP_TIMEOUT_MS / 1000} s after the completion`);
  }
}

// ---------------------------------------------------------------- the measurements at one size

interface SizeResult {
  size: number;
  inboxUnit: Series;
  inboxSupervisor: Series;
  startC1: { api: Series; raw: Series };
  startC16: { api: Series; raw: Series };
  complete: { api: Series; raw: Series };
  step: { api: Series; raw: Series };
  search: Series;
  dashboard: Series;
  /** Of each read under load, the time the API says it waited for its process index. */
  searchIndexWait: number[];
  dashboardIndexWait: number[];
  searchApp: number[];
  dashboardApp: number[];
  /** Read answers marked as behind the change log (answered before the index caught up). */
  behindReads: number;
  load: { starts: number; completions: number; failed: number; firstError?: string };
  worker?: Memory;
  api?: Memory;
  /** Processes started at this size, and the plan tasks seen open. */
  started: string[];
  opened: Set<string>;
  notes: string[];
}

interface Options {
  samples: number;
  budgetMs: number;
  settleMs: number;
}

/**
 * Inboxes of a unit (its own org) and of a supervisor (the whole tree), alternated. A page of
 * 20, which both fill at every size (the unit has about 30 open tasks at 1,000 processes): a
 * page of the default 50 would hold 30 tasks at the smallest size and 50 at the others, and
 * the growth check would compare an answer with another of two thirds more tasks.
 */
async function measureInboxes(b: Bench, o: Options, r: SizeResult): Promise<void> {
  const inbox = '/api/v1/tasks?status=open&limit=20';
  await new Series().time(() => b.expect(200, 'GET', inbox, UNIT)); // warm-up
  await new Series().time(() => b.expect(200, 'GET', inbox, SUPERVISOR));
  const stopAt = Date.now() + o.budgetMs;
  for (let i = 0; i < 5 * o.samples && Date.now() < stopAt; i++) {
    await r.inboxUnit.time(() => b.expect(200, 'GET', inbox, UNIT));
    await r.inboxSupervisor.time(() => b.expect(200, 'GET', inbox, SUPERVISOR));
  }
}

/** Concurrency 1: one API start, one raw start, alternating which goes first, so load changes hit both alike. */
async function measureStartsC1(b: Bench, o: Options, r: SizeResult): Promise<void> {
  const api = () => b.apiStart(b.feedbackId('s1')).then((id) => r.started.push(id));
  const raw = () => b.rawStart(b.feedbackId('s1r')).then((id) => r.started.push(id));
  // Warm-up of both paths (not counted; a failure shows in the samples that follow).
  await new Series().time(api);
  await new Series().time(raw);
  const stopAt = Date.now() + o.budgetMs;
  for (let i = 0; i < o.samples && Date.now() < stopAt; i++) {
    const pair: Array<[Series, () => Promise<unknown>]> = [
      [r.startC1.api, api],
      [r.startC1.raw, raw],
    ];
    for (const [series, run] of i % 2 === 0 ? pair : pair.reverse()) await series.time(run);
  }
}

/** Concurrency 16: rounds of 32 starts, API and raw rounds alternating; throughput = starts / time in that side's rounds. */
async function measureStartsC16(b: Bench, o: Options, r: SizeResult): Promise<void> {
  const sides: Array<[Series, () => Promise<unknown>]> = [
    [r.startC16.api, () => b.apiStart(b.feedbackId('s16')).then((id) => r.started.push(id))],
    [r.startC16.raw, () => b.rawStart(b.feedbackId('s16r')).then((id) => r.started.push(id))],
  ];
  const target = 4 * o.samples;
  const stopAt = Date.now() + o.budgetMs;
  for (let round = 0; sides.some(([s]) => s.attempts < target) && Date.now() < stopAt; round++) {
    for (const [series, run] of round % 2 === 0 ? sides : [...sides].reverse()) {
      const began = performance.now();
      await pool(2 * CONCURRENCY, CONCURRENCY, () => series.time(run));
      series.elapsedMs += performance.now() - began;
    }
  }
}

/**
 * Waits (bounded) until every process started at this size has opened its plan task, so the
 * backlog of activities the starts left behind does not run into the next measurement.
 */
async function settle(b: Bench, o: Options, r: SizeResult, after: string): Promise<void> {
  const began = Date.now();
  const pending = r.started.map((id) => taskIdOf(id, PLAN_ELEMENT)).filter((id) => !r.opened.has(id));
  for (const id of await b.waitOpen(pending, began + o.settleMs)) r.opened.add(id);
  const left = pending.filter((id) => !r.opened.has(id)).length;
  r.notes.push(
    `after ${after}: ${pending.length - left} of ${pending.length} pending plan tasks open after ${((Date.now() - began) / 1000).toFixed(1)} s` +
      (left === 0 ? '' : ` (the bound, ${o.settleMs / 1000} s, ran out: ${left} still waiting on the worker)`),
  );
}

/**
 * Completions and the step after them. Prepared first (raw starts, waiting until the worker
 * has stored each plan task), so only the
 * completion is timed; then pairs alternate: API completion → its review task listed in the
 * reviewer's inbox; raw update → its review task stored. Each sample waits for its step, so
 * the next completion does not run beside the previous one's follow-up work.
 */
async function measureCompletions(b: Bench, o: Options, r: SizeResult): Promise<void> {
  const prepared: string[] = [];
  await pool(2 * (o.samples + 1), 8, async () => prepared.push(await b.rawStart(b.feedbackId('c'))));
  r.started.push(...prepared);
  await settle(b, o, r, 'preparing the completions');
  const ready = prepared.filter((id) => r.opened.has(taskIdOf(id, PLAN_ELEMENT)));
  const apiSide = async (id: string, counted: boolean) => {
    if ((await (counted ? r.complete.api : new Series()).time(() => b.apiComplete(id))) === undefined) return;
    await (counted ? r.step.api : new Series()).time(() => b.reviewListed(id));
  };
  const rawSide = async (id: string, counted: boolean) => {
    if ((await (counted ? r.complete.raw : new Series()).time(() => b.rawComplete(id))) === undefined) return;
    await (counted ? r.step.raw : new Series()).time(() => b.reviewStored(id));
  };
  // The first pair warms both paths up and is not counted (nor timed against the budget).
  if (ready.length >= 2) {
    await apiSide(ready[0] as string, false);
    await rawSide(ready[1] as string, false);
  }
  const stopAt = Date.now() + o.budgetMs;
  for (let i = 2; i + 1 < ready.length && Date.now() < stopAt; i += 2) {
    const [apiId, rawId] = [ready[i] as string, ready[i + 1] as string];
    if ((i / 2) % 2 === 0) {
      await apiSide(apiId, true);
      await rawSide(rawId, true);
    } else {
      await rawSide(rawId, true);
      await apiSide(apiId, true);
    }
  }
}

/**
 * Search and the dashboard, one request at a time, while LOAD_LOOPS loops each start a
 * rectification through the API, wait for its plan task (`GET /api/v1/tasks/{id}`) and
 * complete it. Every read must answer within READ_TIMEOUT_MS.
 */
async function measureReadsUnderLoad(b: Bench, o: Options, r: SizeResult): Promise<void> {
  let stop = false;
  const loop = async () => {
    while (!stop) {
      try {
        const processId = await b.apiStart(b.feedbackId('load'));
        r.started.push(processId);
        r.load.starts++;
        const planPath = `/api/v1/tasks/${encodeURIComponent(taskIdOf(processId, PLAN_ELEMENT))}`;
        const deadline = Date.now() + WRITE_TIMEOUT_MS;
        while (!stop && Date.now() < deadline && (await b.call('GET', planPath, UNIT)).status !== 200) await sleep(100);
        if (stop) return;
        await b.apiComplete(processId);
        r.load.completions++;
      } catch (err) {
        r.load.failed++;
        r.load.firstError ??= message(err);
        await sleep(200); // no hot loop when the API refuses
      }
    }
  };
  const loops = Array.from({ length: LOAD_LOOPS }, loop);
  try {
    await sleep(1_000); // let the load begin
    const stopAt = Date.now() + o.budgetMs;
    const read = (urlPath: string, waits: number[], app: number[]) => async () => {
      const answer = await b.expect(200, 'GET', urlPath, SUPERVISOR);
      if (answer.behind) r.behindReads++;
      if (answer.indexWaitMs !== undefined) waits.push(answer.indexWaitMs);
      if (answer.appMs !== undefined) app.push(answer.appMs);
    };
    for (let i = 0; i < 5 * o.samples && Date.now() < stopAt; i++) {
      await r.search.time(read(SEARCH_PATH, r.searchIndexWait, r.searchApp));
      await r.dashboard.time(read('/api/v1/dashboard', r.dashboardIndexWait, r.dashboardApp));
    }
  } finally {
    stop = true;
    await Promise.all(loops);
  }
}

// ---------------------------------------------------------------- tables

interface Line {
  /** Same key at every size, for the growth check. */
  key: string;
  figure: string;
  api: number;
  raw?: number;
  unit: 'ms' | '/s' | 'MiB';
  samples: string;
  target?: string;
  pass?: boolean;
  /** Which way the figure should not move as the store grows; none for memory. */
  growth?: 'latency' | 'throughput';
}

const fmt = (x: number | undefined, unit: Line['unit']) =>
  x === undefined ? '' : !Number.isFinite(x) ? '—' : unit === 'ms' ? ms(x) : unit === '/s' ? `${x.toFixed(1)}/s` : `${x.toFixed(0)} MiB`;
const samplesOf = (s: Series) => `${s.times.length}${s.failed ? ` (${s.failed} failed)` : ''}`;
const failedNote = (...series: Series[]) => series.filter((s) => s.failed > 0).map((s) => `${s.failed} failed: ${s.firstError ?? ''}`);

function linesAt(r: SizeResult): Line[] {
  const ok = (...series: Series[]) => series.every((s) => s.failed === 0 && s.times.length > 0);
  const pair = (p: { api: Series; raw: Series }) => `${samplesOf(p.api)} / ${samplesOf(p.raw)}`;
  const { startC1: c1, startC16: c16, complete, step } = r;
  const lines: Line[] = [
    {
      key: 'start-c1-p50',
      figure: 'start, concurrency 1, p50',
      api: c1.api.figures.p50,
      raw: c1.raw.figures.p50,
      unit: 'ms',
      samples: pair(c1),
      target: `≤ raw + ${TARGETS.startP50SlackMs} ms`,
      pass: ok(c1.api) && c1.api.figures.p50 <= c1.raw.figures.p50 + TARGETS.startP50SlackMs,
      growth: 'latency',
    },
    { key: 'start-c1-p99', figure: 'start, concurrency 1, p99', api: c1.api.figures.p99, raw: c1.raw.figures.p99, unit: 'ms', samples: pair(c1), growth: 'latency' },
    {
      key: 'start-c16-rate',
      figure: `start, concurrency ${CONCURRENCY}, throughput`,
      api: c16.api.perSecond,
      raw: c16.raw.perSecond,
      unit: '/s',
      samples: pair(c16),
      target: `≥ ${TARGETS.startThroughputShare} × raw`,
      pass: ok(c16.api) && c16.api.perSecond >= TARGETS.startThroughputShare * c16.raw.perSecond,
      growth: 'throughput',
    },
    { key: 'start-c16-p50', figure: `start, concurrency ${CONCURRENCY}, p50`, api: c16.api.figures.p50, raw: c16.raw.figures.p50, unit: 'ms', samples: pair(c16), growth: 'latency' },
    { key: 'complete-p50', figure: 'plan completion, p50', api: complete.api.figures.p50, raw: complete.raw.figures.p50, unit: 'ms', samples: pair(complete), growth: 'latency' },
    {
      key: 'complete-p99',
      figure: 'plan completion, p99',
      api: complete.api.figures.p99,
      raw: complete.raw.figures.p99,
      unit: 'ms',
      samples: pair(complete),
      target: `≤ ${TARGETS.completionP99Factor} × raw`,
      pass: ok(complete.api) && complete.api.figures.p99 <= TARGETS.completionP99Factor * complete.raw.figures.p99,
      growth: 'latency',
    },
    { key: 'step-p50', figure: 'step: completion → review task in inbox, p50', api: step.api.figures.p50, raw: step.raw.figures.p50, unit: 'ms', samples: pair(step), growth: 'latency' },
    {
      key: 'step-p99',
      figure: 'step: completion → review task in inbox, p99',
      api: step.api.figures.p99,
      raw: step.raw.figures.p99,
      unit: 'ms',
      samples: pair(step),
      target: `< ${TARGETS.stepP99Ms} ms`,
      pass: ok(step.api) && step.api.figures.p99 < TARGETS.stepP99Ms,
      growth: 'latency',
    },
  ];
  for (const [key, name, s] of [
    ['inbox-unit', 'inbox, unit (Futang PC)', r.inboxUnit],
    ['inbox-supervisor', 'inbox, supervisor (Yiwu DIC: whole tree)', r.inboxSupervisor],
  ] as const) {
    lines.push({ key: `${key}-p50`, figure: `${name}, p50`, api: s.figures.p50, unit: 'ms', samples: samplesOf(s), growth: 'latency' });
    lines.push({
      key: `${key}-p99`,
      figure: `${name}, p99`,
      api: s.figures.p99,
      unit: 'ms',
      samples: samplesOf(s),
      target: `< ${TARGETS.inboxP99Ms} ms`,
      pass: ok(s) && s.figures.p99 < TARGETS.inboxP99Ms,
      growth: 'latency',
    });
  }
  for (const [key, name, s, waits, app] of [
    ['search', 'search under load', r.search, r.searchIndexWait, r.searchApp],
    ['dashboard', 'dashboard under load', r.dashboard, r.dashboardIndexWait, r.dashboardApp],
  ] as const) {
    lines.push({ key: `${key}-p50`, figure: `${name}, p50`, api: s.figures.p50, unit: 'ms', samples: samplesOf(s), growth: 'latency' });
    // Informative, from the API's Server-Timing: until its answer was ready, and of that the wait for its process index.
    if (app.length > 0) lines.push({ key: `${key}-app-p50`, figure: `${name}, in the API until the answer is ready, p50`, api: figures(app).p50, unit: 'ms', samples: String(app.length) });
    if (waits.length > 0) lines.push({ key: `${key}-index-wait-p50`, figure: `${name}, of which waiting for the index, p50`, api: figures(waits).p50, unit: 'ms', samples: String(waits.length) });
    lines.push({
      key: `${key}-p99`,
      figure: `${name}, p99`,
      api: s.figures.p99,
      unit: 'ms',
      samples: samplesOf(s),
      target: `< ${TARGETS.readP99Ms} ms, none failed`,
      pass: ok(s) && s.figures.p99 < TARGETS.readP99Ms,
      growth: 'latency',
    });
    lines.push({ key: `${key}-max`, figure: `${name}, max`, api: s.figures.max, unit: 'ms', samples: samplesOf(s) });
  }
  lines.push({ key: 'worker-rss', figure: 'worker RSS', api: r.worker?.rssMiB ?? NaN, unit: 'MiB', samples: '1' });
  lines.push({ key: 'api-rss', figure: 'API RSS', api: r.api?.rssMiB ?? NaN, unit: 'MiB', samples: '1' });
  return lines;
}

function printTable(title: string, lines: Line[]): void {
  console.log('');
  console.log(title);
  console.log('');
  console.log('| figure | samples (API / raw) | API | raw | API ÷ raw | target | result |');
  console.log('|---|---:|---:|---:|---:|---|---|');
  for (const l of lines) {
    const ratio = l.raw !== undefined && Number.isFinite(l.api / l.raw) ? `${(l.api / l.raw).toFixed(2)}×` : '';
    const result = l.pass === undefined ? '' : l.pass ? 'PASS' : 'FAIL';
    console.log(`| ${l.figure} | ${l.samples} | ${fmt(l.api, l.unit)} | ${fmt(l.raw, l.unit)} | ${ratio} | ${l.target ?? ''} | ${result} |`);
  }
}

// ---------------------------------------------------------------- the run

/**
 * seedProcesses writes rows 0..count-1 of one fixed pseudo-random sequence. To grow the store
 * cumulatively (1,000, then 9,000 more, …) the next size seeds its full count through this
 * view of the models, which skips the rows an earlier size inserted (the same rows, as the
 * sequence is fixed), so only the new ones are written.
 */
function skippingSeeded(models: Models, inserted: Set<string>): Models {
  const once = <C extends object>(collection: C): C =>
    new Proxy(collection, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (prop !== 'insertMany' || typeof value !== 'function') return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        return async (docs: Array<{ _id: unknown }>, options?: unknown) => {
          const fresh = docs.filter((d) => !inserted.has(String(d._id)));
          for (const d of fresh) inserted.add(String(d._id));
          return fresh.length > 0 ? (value as (d: unknown[], o?: unknown) => Promise<unknown>).call(target, fresh, options) : { acknowledged: true, insertedCount: 0, insertedIds: {} };
        };
      },
    });
  const model = <M extends { collection: object }>(m: M): M => new Proxy(m, { get: (target, prop, receiver) => (prop === 'collection' ? once(target.collection) : Reflect.get(target, prop, receiver) as unknown) });
  return { ...models, ProcessSummary: model(models.ProcessSummary), Task: model(models.Task) };
}

/** After a seed's `reload` change: the index has reloaded when the dashboard answers without being marked behind. */
async function waitForIndex(b: Bench, timeoutMs: number): Promise<number> {
  const began = Date.now();
  while (Date.now() - began < timeoutMs) {
    const answer = await b.call('GET', '/api/v1/dashboard', SUPERVISOR, undefined, timeoutMs).catch(() => undefined);
    if (answer?.status === 200 && !answer.behind) return Date.now() - began;
    await sleep(500);
  }
  throw new Error(`the API's process index did not catch up within ${timeoutMs / 1000} s`);
}

/** The bench's servers and the service's two processes, each registered in `cleanup` as it starts. */
async function startService(values: { uri?: string | undefined; backend: string }, cleanup: Array<() => Promise<unknown>>, stopping: () => boolean) {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-core-'));
  cleanup.push(() => Promise.resolve(rmSync(dir, { recursive: true, force: true })));
  const database = await startBenchDatabase({ uri: values.uri, backend: values.backend, dbName: `bench_core_${Date.now()}` });
  cleanup.push(() => database.stop());
  const conn: MongooseConnection = await connectDb(database.uri);
  cleanup.push(async () => {
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  });
  const models = createModels(conn);
  const temporalPort = await freePort();
  const temporalServer = await startTemporalDevServer({ port: temporalPort, uiPort: await freePort(), dbFile: path.join(dir, 'temporal.db'), output: 'ignore' });
  cleanup.push(() => temporalServer.stop());
  const connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
  cleanup.push(() => connection.close());

  // The worker and the API, configured through their environment (config/env.ts) as the run command does.
  const apiPort = await freePort();
  const env = { TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`, MONGODB_URI: database.uri, PORT: String(apiPort), AUTH_SECRET: SECRET, TASK_QUEUE, LOAD_DEMO_DATA: 'true' };
  const worker = spawnNode('worker', 'worker/main.ts', env, dir);
  const api = spawnNode('api', 'api/main.ts', env, dir);
  let died: string | undefined;
  for (const child of [worker, api]) {
    cleanup.push(() => child.stop());
    child.child.once('exit', (code, signal) => {
      if (stopping()) return;
      died = `${child.name} exited (${signal ?? code}); the end of its log:\n${logTail(child.log)}`;
      console.error(`bench:core: ${died}`);
    });
  }
  const alive = () => {
    if (died) throw new Error(died);
  };
  await waitForPort(apiPort, api, 180_000);
  const base = `http://127.0.0.1:${apiPort}`;
  const healthDeadline = Date.now() + 300_000;
  for (;;) {
    alive();
    const health = await fetch(`${base}/health`, { signal: AbortSignal.timeout(READ_TIMEOUT_MS) })
      .then((res) => res.json() as Promise<{ processIndex?: string }>)
      .catch(() => undefined);
    if (health?.processIndex === 'ready') break;
    if (Date.now() > healthDeadline) throw new Error('the API did not report its process index ready within 300 s');
    await sleep(500);
  }

  // The start input as the API resolves it, once, with our own connection; each raw start varies the feedback ID.
  const placeholder = 'bench-template';
  const [target, issuer] = await Promise.all([loadOrg(models, TARGET_ORG), loadOrg(models, ISSUER_ORG)]);
  if (!target || !issuer) throw new Error('the demo organisations are missing (LOAD_DEMO_DATA)');
  const template = await resolveRectification(models, { principal: OFFICER, target, issuer, issuerOrgId: OFFICER.orgId, feedbackId: placeholder, channel: 'faceToFace' });
  const b = new Bench(base, new Client({ connection }), models, template, placeholder, alive);

  // Warm-up: the worker bundles its workflows at start; the first process through each path shows it is polling.
  const warm = [await b.apiStart(b.feedbackId('warm')), await b.rawStart(b.feedbackId('warm'))].map((id) => taskIdOf(id, PLAN_ELEMENT));
  if ((await b.waitOpen(warm, Date.now() + 300_000)).size < warm.length) throw new Error("the worker did not open the warm-up processes' plan tasks within 300 s");

  let temporalVersion = 'temporal ?';
  try {
    temporalVersion = execFileSync(tools.temporal, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // only printed
  }
  return { b, worker, api, dir, serverName: database.serverName, databaseVersion: await serverVersion(conn), temporalVersion, alive };
}

/** Seeds up to `size` processes, waits for the API's index, then measures in an order that keeps quiet measurements quiet. */
async function measureSize(b: Bench, o: Options, size: number, inserted: Set<string>, worker: Child, api: Child, alive: () => void): Promise<SizeResult> {
  const r: SizeResult = {
    size,
    inboxUnit: new Series(),
    inboxSupervisor: new Series(),
    startC1: { api: new Series(), raw: new Series() },
    startC16: { api: new Series(), raw: new Series() },
    complete: { api: new Series(), raw: new Series() },
    step: { api: new Series(), raw: new Series() },
    search: new Series(),
    dashboard: new Series(),
    searchIndexWait: [],
    dashboardIndexWait: [],
    searchApp: [],
    dashboardApp: [],
    behindReads: 0,
    load: { starts: 0, completions: 0, failed: 0 },
    started: [],
    opened: new Set(),
    notes: [],
  };
  const say = (line: string) => console.log(`size ${count(size)}: ${line}`);
  console.log('');
  const seeded = await seedProcesses(skippingSeeded(b.models, inserted), { count: size });
  say(`seeded up to ${count(seeded.processes)} processes (${count(seeded.running)} running, ${count(seeded.openTasks)} open tasks) in ${(seeded.ms / 1000).toFixed(1)} s`);
  say(`the API's process index answered after the seed in ${((await waitForIndex(b, 900_000)) / 1000).toFixed(1)} s`);
  alive();
  // Quiet measurements first, then the starts, which leave work behind for the worker.
  await measureInboxes(b, o, r);
  say('inboxes measured');
  alive();
  await measureCompletions(b, o, r);
  say('completions and steps measured');
  alive();
  await measureStartsC1(b, o, r);
  await measureStartsC16(b, o, r);
  say('starts measured');
  alive();
  await settle(b, o, r, 'the starts');
  await measureReadsUnderLoad(b, o, r);
  // What is still queued belongs to this size: let it finish (bounded) before the next seed.
  await settle(b, o, r, 'the reads under load');
  alive();
  r.worker = memoryOf(worker.child);
  r.api = memoryOf(api.child);
  const status = await workerStatus(worker.child);
  if (status) r.notes.push(`worker: ${status.cached ?? '?'} cached workflows, ${status.activities ?? '?'} activities in flight`);
  r.notes.push(`background load during the reads: ${r.load.starts} API starts, ${r.load.completions} API completions, ${r.load.failed} failed${r.load.firstError ? ` (${r.load.firstError})` : ''}`);
  if (r.behindReads > 0) r.notes.push(`${r.behindReads} search/dashboard answers were marked behind the change log (X-Read-Model-Behind)`);
  r.notes.push(...failedNote(r.inboxUnit, r.inboxSupervisor, r.startC1.api, r.startC1.raw, r.startC16.api, r.startC16.raw, r.complete.api, r.complete.raw, r.step.api, r.step.raw, r.search, r.dashboard));
  return r;
}

interface OpenWorkflows {
  started: number;
  opened: number;
  worker?: Memory;
  status?: { cached?: number; activities?: number };
}

/** Memory with many open workflows: started raw (the fastest way in), each waited for until its plan task is stored. */
async function measureOpenWorkflows(b: Bench, n: number, waitMs: number, worker: Child): Promise<OpenWorkflows> {
  console.log('');
  const ids: string[] = [];
  const failures = new Series();
  const began = Date.now();
  await pool(n, OPEN_CONCURRENCY, () => failures.time(async () => ids.push(await b.rawStart(b.feedbackId('open')))), began + waitMs);
  const failedText = failures.failed ? ` (${failures.failed} failed: ${failures.firstError ?? ''})` : '';
  console.log(`open workflows: ${count(ids.length)} started raw at concurrency ${OPEN_CONCURRENCY} in ${((Date.now() - began) / 1000).toFixed(1)} s${failedText}`);
  const waitBegan = Date.now();
  const opened = await b.waitOpen(
    ids.map((id) => taskIdOf(id, PLAN_ELEMENT)),
    waitBegan + waitMs,
  );
  console.log(`open workflows: ${count(opened.size)} of ${count(ids.length)} with their plan task stored after ${((Date.now() - waitBegan) / 1000).toFixed(1)} s (bound ${waitMs / 1000} s)`);
  return { started: ids.length, opened: opened.size, worker: memoryOf(worker.child), status: await workerStatus(worker.child) };
}

/** The result table: every target at the largest size, the growth from the smallest, memory. */
function resultLines(results: SizeResult[], open: OpenWorkflows | undefined): Line[] {
  const first = results[0] as SizeResult;
  const last = results[results.length - 1] as SizeResult;
  const firstLines = linesAt(first);
  const lastLines = linesAt(last);
  const lines: Line[] = lastLines.filter((l) => l.target !== undefined).map((l) => ({ ...l, figure: `${l.figure} at ${count(last.size)}` }));
  if (results.length > 1) {
    for (const l of lastLines.filter((x) => x.growth)) {
      const before = firstLines.find((x) => x.key === l.key)?.api ?? NaN;
      lines.push({
        key: `growth-${l.key}`,
        figure: `${l.figure}: at ${count(last.size)} vs at ${count(first.size)}`,
        api: l.api,
        raw: before,
        unit: l.unit,
        samples: l.samples,
        target: l.growth === 'throughput' ? `≥ smallest ÷ ${TARGETS.growthFactor}` : `≤ ${TARGETS.growthFactor} × smallest`,
        pass: l.growth === 'throughput' ? l.api >= before / TARGETS.growthFactor : l.api <= TARGETS.growthFactor * before,
      });
    }
  }
  if (open) {
    lines.push({
      key: 'worker-rss-open',
      figure: `worker RSS with ${count(open.opened)} open workflows${open.opened < open.started ? ` (${count(open.started)} started)` : ''}`,
      api: open.worker?.rssMiB ?? NaN,
      unit: 'MiB',
      samples: '1',
      target: `< ${TARGETS.workerRssMiB} MiB${open.started >= 10_000 ? '' : ` (with ${count(open.started)}, not 10,000)`}`,
      // Only a figure with every started workflow open counts.
      pass: (open.worker?.rssMiB ?? Infinity) < TARGETS.workerRssMiB && open.opened === open.started,
    });
    lines.push({ key: 'worker-hwm-open', figure: 'worker peak RSS (VmHWM) over the whole run', api: open.worker?.hwmMiB ?? NaN, unit: 'MiB', samples: '1' });
  }
  lines.push({ key: 'api-rss-last', figure: `API RSS at ${count(last.size)} processes (stated)`, api: last.api?.rssMiB ?? NaN, unit: 'MiB', samples: '1' });
  return lines;
}

let interrupted = false;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '1000,10000,100000' },
      'open-workflows': { type: 'string', default: '10000' },
      'open-wait': { type: 'string', default: '600' },
      samples: { type: 'string', default: '40' },
      budget: { type: 'string', default: '60' },
      // The run command's embedded default (scripts/dev.ts): PostgreSQL where it can run.
      backend: { type: 'string', default: postgresAvailable() ? 'postgresql' : 'sqlite' },
      uri: { type: 'string' },
    },
  });
  const sizes = values.sizes.split(',').map((s) => Number(s.trim()));
  if (sizes.length === 0 || sizes.some((s) => !Number.isInteger(s) || s < 0)) throw new Error('--sizes must be whole numbers, e.g. 1000,10000,100000');
  sizes.sort((a, b) => a - b);
  const openWorkflows = Number(values['open-workflows']);
  const samples = Number(values.samples);
  const budgetMs = Number(values.budget) * 1000;
  const openWaitMs = Number(values['open-wait']) * 1000;
  if (!Number.isInteger(openWorkflows) || openWorkflows < 0) throw new Error('--open-workflows must be a whole number');
  if (!(Number.isInteger(samples) && samples > 0 && budgetMs > 0 && openWaitMs > 0)) throw new Error('--samples, --budget and --open-wait must be positive numbers');
  // Waiting for a backlog of activities to drain is bounded by twice the budget.
  const options: Options = { samples, budgetMs, settleMs: Math.max(30_000, 2 * budgetMs) };

  const cleanup: Array<() => Promise<unknown>> = [];
  let stopping: Promise<void> | undefined;
  const stopAll = () =>
    (stopping ??= (async () => {
      for (const step of cleanup.reverse()) await step().catch((err: unknown) => console.error('bench:core: cleanup:', message(err)));
    })());
  // `on`, not `once`: Ctrl-C reaches both this process and tsx's wrapper, which relays it again;
  // with no listener left, that second signal would end this process before it has cleaned up.
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    console.error(`bench:core: ${signal}; stopping everything`);
    void stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Requests still in flight when the servers stop fail where nothing awaits them (the Temporal
  // client's retry timers): while stopping that is expected; otherwise stop everything too.
  process.on('uncaughtException', (err) => {
    if (stopping) return;
    console.error('bench:core:', err.stack ?? err);
    void stopAll().finally(() => process.exit(1));
  });

  try {
    const { b, worker, api, dir, serverName, databaseVersion, temporalVersion, alive } = await startService(values, cleanup, () => stopping !== undefined);
    console.log(`bench:core: issue 11's core path (${new Date().toISOString()})`);
    console.log(machineLine());
    console.log(`database: ${serverName}; ${databaseVersion}`);
    console.log(`temporal: dev server started here (SQLite in a temp dir); ${temporalVersion}`);
    console.log(`service: worker and API as child processes (node --import tsx), task queue ${TASK_QUEUE}; logs in ${dir} while it runs`);
    console.log(`sizes: ${sizes.map(count).join(', ')} seeded processes, cumulatively; then ${count(openWorkflows)} open workflows (waits up to ${openWaitMs / 1000} s)`);
    console.log(
      `per measurement: up to ${samples} samples (starts at concurrency ${CONCURRENCY}: ${4 * samples}; inbox and reads: ${5 * samples} each) or ${budgetMs / 1000} s; backlog waits up to ${options.settleMs / 1000} s`,
    );
    const loadBefore = loadAverage();
    console.log(`load average before measuring: ${loadBefore}`);

    const results: SizeResult[] = [];
    const inserted = new Set<string>();
    for (const size of sizes) {
      const r = await measureSize(b, options, size, inserted, worker, api, alive);
      results.push(r);
      printTable(`### ${count(size)} processes (load average ${loadAverage()})`, linesAt(r));
      for (const note of r.notes) console.log(`- ${note}`);
    }
    const open = openWorkflows > 0 ? await measureOpenWorkflows(b, openWorkflows, openWaitMs, worker) : undefined;
    const loadAfter = loadAverage();

    const final = resultLines(results, open);
    printTable(`### Result (the "raw" column of a growth line is the figure at the smallest size)`, final);
    console.log('');
    if (open?.status) console.log(`worker at the end: ${open.status.cached ?? '?'} cached workflows, ${open.status.activities ?? '?'} activities in flight`);
    console.log(`load average: before ${loadBefore}; after ${loadAfter}`);
    console.log(`search: GET ${SEARCH_PATH}; dashboard: GET /api/v1/dashboard (Yiwu DIC supervisor)`);

    // Every per-size target counts, not only those at the largest size.
    const failed = [
      ...results.flatMap((r) =>
        linesAt(r)
          .filter((l) => l.pass === false)
          .map((l) => `${l.figure} at ${count(r.size)}`),
      ),
      ...final.filter((l) => l.pass === false && (l.key.startsWith('growth-') || l.key === 'worker-rss-open')).map((l) => l.figure),
    ];
    console.log(failed.length === 0 ? 'result: PASS' : `result: FAIL (${failed.length} missed):\n${failed.map((f) => `- ${f}`).join('\n')}`);
    process.exitCode = failed.length === 0 ? 0 : 2;
  } finally {
    await stopAll();
  }
}

main().catch((err: unknown) => {
  // After Ctrl-C the measurements fail as the servers stop: that is not worth a stack trace.
  if (interrupted) return;
  console.error('bench:core:', err instanceof Error ? err.stack : err);
  process.exit(1);
});
