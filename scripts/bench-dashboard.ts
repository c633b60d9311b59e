/**
 * `npm run bench:dashboard -- [--backend sqlite|postgresql] [--uri mongodb://…] [--count 100000] [--temporal-count 5000] [--requests 200] [--budget 20]`
 *
 * Measures the dashboard and a filtered search with N processes loaded, against a
 * MongoDB-protocol server: FerretDB started here on a free port with a temp dir, on SQLite
 * (the default) or, with `--backend postgresql`, on a throwaway PostgreSQL cluster it also
 * starts (scripts/lib/postgres-ferretdb.ts); or the server at `--uri` (a fresh database on
 * it, dropped afterwards). The real app is mounted in-process and requested sequentially
 * over loopback; it answers both from its in-memory process index
 * (read-model/process-index.ts), loaded here the way the API loads it at start.
 *
 * Beside each API figure stand two baselines from the same run: the same queries straight
 * through the MongoDB driver (what the database itself takes), and raw Temporal visibility
 * (a Temporal dev server started here, holding `--temporal-count` of the seeded running
 * processes as workflows with the service's search attributes) answering the same search
 * and its nearest dashboard query. Each measurement stops at `--requests` samples or
 * `--budget` seconds, whichever comes first, so a slow server still finishes in minutes;
 * the sample count is printed.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import { createApp } from '../api/app.js';
import { signToken } from '../api/auth/tokens.js';
import { connectDb } from '../models/db.js';
import { createModels, syncIndexes, type Models } from '../models/index.js';
import { freePort, startTemporalDevServer } from './lib/services.js';
import { ProcessIndex } from '../read-model/process-index.js';
import type { ProcessSummary } from '../models/process-summary.js';
import { EscalationLevelKey, NextDueAtKey, OrgIdKey, OrgPathKey, OverdueKey, ProcessTypeKey } from '../workflows/search-attributes.js';
import { seedProcesses } from './seed-processes.js';
import { addDays, endOfDayMs, localDateOf } from '../domain/calendar.js';
import { SEARCH_PATH, loadAverage, machineLine, measure, ms, serverVersion, startBenchDatabase, type Figures } from './lib/bench.js';

const TARGET_P99_MS = 200;
const SECRET = 'bench-secret-at-least-16-chars';
/** A Yiwu DIC supervisor oversees the whole seeded tree. */
const SUPERVISOR = { sub: 'bench-supervisor', role: 'supervisor', orgId: 'yiwu-dic' } as const;
/** The widest search: every process in the supervisor's scope, one sorted page (the index's worst case). */
const WIDE_SEARCH_PATH = '/api/v1/processes?sort=nextDueAt&order=desc&limit=50';

/** The dashboard's queries as the endpoint issues them, straight through the driver. */
async function rawDashboard(models: Models, now: number): Promise<void> {
  const scope = { orgPath: 'yiwu-pc' };
  const until = addDays(localDateOf(now), 6);
  const [, , , oldest] = await Promise.all([
    models.ProcessSummary.collection.aggregate([{ $match: { ...scope, status: 'running' } }, { $group: { _id: { orgId: '$orgId', processType: '$processType' }, n: { $sum: 1 } } }]).toArray(),
    models.Task.collection
      .aggregate([{ $match: { ...scope, status: 'open' } }, { $group: { _id: { orgId: '$orgId', processType: '$processType', overdue: '$overdue', level: '$escalationLevel' }, n: { $sum: 1 } } }])
      .toArray(),
    models.Task.collection
      .aggregate([{ $match: { ...scope, status: 'open', dueAt: { $gte: new Date(now), $lte: new Date(endOfDayMs(until)) } } }, { $group: { _id: { orgId: '$orgId', processType: '$processType' }, n: { $sum: 1 } } }])
      .toArray(),
    models.Task.collection.find({ ...scope, status: 'open', overdue: true }).sort({ dueAt: 1, _id: 1 }).limit(10).toArray(),
  ]);
  await models.Org.collection.find({ _id: { $in: [...new Set(oldest.map((t) => t.orgId as string))] } } as never).toArray();
}

async function rawSearch(models: Models): Promise<void> {
  const filter = { orgPath: 'futang-pc', status: 'running', overdue: true };
  await Promise.all([
    models.ProcessSummary.collection.find(filter).sort({ nextDueAt: 1, _id: 1 }).limit(50).toArray(),
    models.ProcessSummary.collection.countDocuments(filter),
  ]);
}

/** The search's filter in Temporal's visibility query language. */
const VISIBILITY_SEARCH = "OrgPath = 'futang-pc' AND ExecutionStatus = 'Running' AND Overdue = true";

/**
 * Starts the first `n` seeded running processes as workflows carrying the service's search
 * attributes, on a task queue no worker polls (visibility is what is measured), and waits
 * until visibility counts them all.
 */
async function loadVisibility(models: Models, client: Client, n: number): Promise<number> {
  const running = await models.ProcessSummary.find({ status: 'running' }).limit(n).lean<ProcessSummary[]>();
  const began = Date.now();
  for (let i = 0; i < running.length; i += 50) {
    await Promise.all(
      running.slice(i, i + 50).map((s) =>
        client.workflow.start('benchVisibilityOnly', {
          taskQueue: 'bench-no-worker',
          workflowId: s._id,
          typedSearchAttributes: [
            { key: ProcessTypeKey, value: s.processType },
            { key: OrgIdKey, value: s.orgId },
            { key: OrgPathKey, value: s.orgPath },
            { key: OverdueKey, value: s.overdue ?? false },
            { key: EscalationLevelKey, value: s.escalationLevel ?? 0 },
            ...(s.nextDueAt ? [{ key: NextDueAtKey, value: s.nextDueAt }] : []),
          ] as SearchAttributePair[],
        }),
      ),
    );
  }
  while ((await client.workflow.count()).count < running.length) await new Promise((r) => setTimeout(r, 200));
  return Date.now() - began;
}

/** One page of 50 and the total, as the API's search answers. */
async function rawTemporalSearch(client: Client): Promise<void> {
  const firstPage = async () => {
    let n = 0;
    for await (const _ of client.workflow.list({ query: VISIBILITY_SEARCH, pageSize: 50 })) if (++n === 50) break;
  };
  await Promise.all([firstPage(), client.workflow.count(VISIBILITY_SEARCH)]);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      uri: { type: 'string' },
      backend: { type: 'string', default: 'sqlite' },
      count: { type: 'string', default: '100000' },
      requests: { type: 'string', default: '200' },
      'temporal-count': { type: 'string', default: '5000' },
      budget: { type: 'string', default: '20' },
    },
  });
  const count = Number(values.count);
  const requests = Number(values.requests);
  const budgetMs = Number(values.budget) * 1000;
  const temporalCount = Number(values['temporal-count']);
  if (![count, requests, budgetMs].every((x) => Number.isFinite(x) && x > 0)) throw new Error('--count, --requests and --budget must be positive numbers');
  if (!Number.isInteger(temporalCount) || temporalCount < 0) throw new Error('--temporal-count must be a whole number');

  const database = await startBenchDatabase({ uri: values.uri, backend: values.backend, dbName: `bench_dashboard_${Date.now()}` });
  const conn = await connectDb(database.uri);
  const temporalPort = await freePort();
  const temporalServer = await startTemporalDevServer({ port: temporalPort, uiPort: await freePort(), output: 'ignore' });
  const temporalConnection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
  const temporal = new Client({ connection: temporalConnection });
  const models = createModels(conn);
  const processIndex = new ProcessIndex(models, { pollMs: 0 });
  let http: Server | undefined;
  try {
    console.log(`server: ${database.serverName}; ${await serverVersion(conn)}`);
    console.log(machineLine());
    await syncIndexes(models);
    const seeded = await seedProcesses(models, { count });
    console.log(`seeded: ${seeded.processes} processes (${seeded.running} running), ${seeded.openTasks} open tasks (${seeded.overdueTasks} overdue) in ${(seeded.ms / 1000).toFixed(1)} s`);

    const loadedIn = Date.now();
    const index = await processIndex.current();
    console.log(`process index: ${index.stats().summaries} processes, ${index.stats().openTasks} open tasks loaded in ${((Date.now() - loadedIn) / 1000).toFixed(1)} s (once, at API start)`);
    const visibilityMs = await loadVisibility(models, temporal, Math.min(temporalCount, seeded.running));
    console.log(`temporal: dev server started here (in memory); ${Math.min(temporalCount, seeded.running)} running workflows with search attributes started in ${(visibilityMs / 1000).toFixed(1)} s`);

    const app = createApp({
      config: { AUTH_SECRET: SECRET, TASK_QUEUE: 'bench', TEMPORAL_UI_URL: 'http://127.0.0.1:8233', TEMPORAL_NAMESPACE: 'default' },
      temporal,
      models,
      processIndex,
    });
    http = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const headers = { authorization: `Bearer ${signToken(SECRET, SUPERVISOR)}` };
    const get = (p: string) => async () => {
      const res = await fetch(`${base}${p}`, { headers });
      if (res.status !== 200) throw new Error(`GET ${p}: ${res.status} ${await res.text()}`);
      await res.json();
    };

    const now = Date.now();
    // Other work on the machine shows in every figure: print the load beside them.
    console.log(`load average before measuring: ${loadAverage()}`);
    console.log(`measuring: up to ${requests} sequential requests or ${budgetMs / 1000} s per line, after 1 warm-up request`);
    const rows: Array<[string, Figures]> = [];
    rows.push(['dashboard  raw driver', await measure(requests, budgetMs, () => rawDashboard(models, now))]);
    rows.push(['dashboard  raw Temporal: count GROUP BY ExecutionStatus', await measure(requests, budgetMs, async () => void (await temporal.workflow.count("OrgPath = 'yiwu-pc' GROUP BY ExecutionStatus")))]);
    rows.push(['dashboard  API (HTTP)', await measure(requests, budgetMs, get('/api/v1/dashboard'))]);
    rows.push(['search     raw driver', await measure(requests, budgetMs, () => rawSearch(models))]);
    rows.push(['search     raw Temporal: list 50 + count', await measure(requests, budgetMs, () => rawTemporalSearch(temporal))]);
    rows.push(['search     API (HTTP)', await measure(requests, budgetMs, get(SEARCH_PATH))]);
    rows.push(['wide search API (HTTP), no filter', await measure(requests, budgetMs, get(WIDE_SEARCH_PATH))]);

    console.log('');
    console.log(`| what | samples | p50 | p95 | p99 | max | p99 < ${TARGET_P99_MS} ms |`);
    console.log('|---|---:|---:|---:|---:|---:|---|');
    for (const [name, f] of rows) {
      const pass = f.p99 < TARGET_P99_MS ? 'pass' : 'FAIL';
      console.log(`| ${name} | ${f.n} | ${ms(f.p50)} | ${ms(f.p95)} | ${ms(f.p99)} | ${ms(f.max)} | ${name.includes('API') ? pass : `(${pass})`} |`);
    }
    console.log('');
    console.log(`load average after measuring: ${loadAverage()}`);
    console.log(`search: GET ${SEARCH_PATH}`);
    console.log(`wide search: GET ${WIDE_SEARCH_PATH}`);
    console.log(`raw Temporal search: ${VISIBILITY_SEARCH} (first page of 50, and the count)`);
    console.log(`target: dashboard and filtered search under ${TARGET_P99_MS} ms at p99 through the API; the raw lines are what the database and Temporal visibility take for the same questions.`);
    const apiFailed = rows.filter(([name, f]) => name.includes('API') && !(f.p99 < TARGET_P99_MS));
    console.log(apiFailed.length === 0 ? 'result: PASS' : `result: FAIL (${apiFailed.map(([n]) => n.trim()).join(', ')})`);
    process.exitCode = apiFailed.length === 0 ? 0 : 2;
  } finally {
    if (http) {
      http.closeAllConnections();
      await new Promise((r) => http?.close(r));
    }
    processIndex.stop();
    await temporalConnection.close().catch(() => undefined);
    await temporalServer.stop();
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
    await database.stop();
  }
}

main().catch((err: unknown) => {
  console.error('bench:dashboard:', err instanceof Error ? err.stack : err);
  process.exit(1);
});
