/**
 * `npm run seed:processes -- [--count N] [--uri mongodb://…] [--batch 5000]`: writes N
 * (default 100,000) process summaries and their open tasks straight into MongoDB, spread
 * over the Yiwu demo organisations (loaded first when the database has none), process
 * types, statuses and due dates, for the dashboard and search benchmark. Bulk inserts in
 * batches through the driver: the workflows are not run, only their read models written.
 * The spread is pseudo-random with a fixed seed, so two runs write the same rows; the
 * rows' IDs start with `seed:` so they can be told apart (and removed with `--clear`).
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { addDays, endOfDayMs, localDateOf } from '../domain/calendar.js';
import { connectDb } from '../models/db.js';
import { createModels, syncIndexes, type Models } from '../models/index.js';
import { demoOrgDocuments, loadDemoData } from '../data/load-demo.js';
import { appendChange } from '../read-model/change-log.js';

const DAY = 86_400_000;

/** Types the service runs; the seeded rows only need their names. */
export const SEED_TYPES = [
  { processType: 'rectification', weight: 3, element: 'submitPlan', form: 'rectificationPlan', title: 'Rectification', titleZh: '整改' },
  { processType: 'obligation-cycle', weight: 5, element: 'submitReport', form: 'report', title: 'Obligation cycle', titleZh: '履责周期' },
  { processType: 'interview', weight: 1, element: 'signRecord', form: 'signature', title: 'Interview', titleZh: '约谈' },
  { processType: 'accountability-case', weight: 1, element: 'submitExplanation', form: 'explanation', title: 'Accountability case', titleZh: '责任追究' },
] as const;

export interface SeedOptions {
  count: number;
  batch?: number;
  /** "Now" for due dates and overdue flags (the benchmark's wall clock by default). */
  now?: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface SeedResult {
  processes: number;
  running: number;
  openTasks: number;
  overdueTasks: number;
  ms: number;
}

/** A small deterministic PRNG (mulberry32), so the seeded set is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function weighted<T extends { weight: number }>(items: readonly T[], r: number): T {
  const total = items.reduce((s, i) => s + i.weight, 0);
  let x = r * total;
  for (const item of items) {
    x -= item.weight;
    if (x < 0) return item;
  }
  return items[items.length - 1] as T;
}

/** Escalation level an overdue task has reached with the default ladder (7 and 30 days). */
const levelAfter = (daysOverdue: number) => (daysOverdue > 30 ? 2 : daysOverdue > 7 ? 1 : 0);

export async function seedProcesses(models: Models, options: SeedOptions): Promise<SeedResult> {
  const began = Date.now();
  const { count, batch = 5_000, seed = 7 } = options;
  const now = options.now ?? Date.now();
  const today = localDateOf(now);
  const log = options.log ?? (() => undefined);
  await loadDemoData(models);
  // Processes are about party committees, their DICs and units; Jinhua is above Yiwu.
  const orgs = demoOrgDocuments().filter((o) => o.path.includes('yiwu-pc'));
  const orgWeight = (kind: string) => (kind === 'pc' ? 4 : kind === 'dic' ? 2 : 1);
  const weightedOrgs = orgs.map((o) => ({ ...o, weight: orgWeight(o.kind) }));
  const rand = prng(seed);
  const summaries = models.ProcessSummary.collection;
  const tasks = models.Task.collection;

  const result: SeedResult = { processes: 0, running: 0, openTasks: 0, overdueTasks: 0, ms: 0 };
  for (let from = 0; from < count; from += batch) {
    const summaryDocs: Record<string, unknown>[] = [];
    const taskDocs: Record<string, unknown>[] = [];
    for (let i = from; i < Math.min(count, from + batch); i++) {
      const type = weighted(SEED_TYPES, rand());
      const org = weighted(weightedOrgs, rand());
      const processId = `seed:${type.processType}:${org._id}:${i}`;
      const s = rand();
      // About a quarter still running, the rest ended: a service that has run for years.
      const status = s < 0.25 ? 'running' : s < 0.93 ? 'completed' : s < 0.99 ? 'cancelled' : 'failed';
      const base = { _id: processId, processType: type.processType, title: `${type.titleZh} ${type.title} #${i}`, orgId: org._id, orgPath: org.path };
      if (status !== 'running') {
        const startedAt = now - Math.floor(rand() * 3 * 365 * DAY) - 30 * DAY;
        const endedAt = startedAt + Math.floor((5 + rand() * 120) * DAY);
        summaryDocs.push({
          ...base,
          status,
          startedAt: new Date(startedAt),
          endedAt: new Date(Math.min(endedAt, now)),
          activeElements: [],
          openTasks: 0,
          overdue: false,
          escalationLevel: 0,
          updatedAt: new Date(Math.min(endedAt, now)),
        });
        result.processes++;
        continue;
      }
      // Running: one open task (sometimes two), due from 90 days ago to 60 days ahead.
      const taskCount = rand() < 0.85 ? 1 : 2;
      const open: Array<{ dueDate: string; dueAt: number; overdue: boolean; level: number; elementId: string }> = [];
      for (let k = 0; k < taskCount; k++) {
        const offset = Math.floor(rand() * 150) - 90;
        const dueDate = addDays(today, offset);
        const dueAt = endOfDayMs(dueDate);
        const overdue = dueAt < now;
        const level = overdue ? levelAfter(Math.floor((now - dueAt) / DAY)) : 0;
        open.push({ dueDate, dueAt, overdue, level, elementId: k === 0 ? type.element : `${type.element}Part${k + 1}` });
      }
      const earliest = Math.min(...open.map((t) => t.dueAt));
      const startedAt = earliest - Math.floor((10 + rand() * 60) * DAY);
      for (const t of open) {
        taskDocs.push({
          _id: `${processId}:${t.elementId}:1`,
          processId,
          processType: type.processType,
          elementId: t.elementId,
          form: type.form,
          title: `${type.title}: step due ${t.dueDate}`,
          titleZh: `${type.titleZh}：${t.dueDate} 到期`,
          assignee: { orgId: org._id, roles: ['unit'] },
          orgPath: org.path,
          orgId: org._id,
          dueDate: t.dueDate,
          dueAt: new Date(t.dueAt),
          status: 'open',
          overdue: t.overdue,
          late: false,
          escalationLevel: t.level,
          createdAt: new Date(startedAt),
        });
        result.openTasks++;
        if (t.overdue) result.overdueTasks++;
      }
      summaryDocs.push({
        ...base,
        status,
        startedAt: new Date(startedAt),
        activeElements: open.map((t) => t.elementId),
        openTasks: open.length,
        overdue: open.some((t) => t.overdue),
        nextDueAt: new Date(earliest),
        escalationLevel: Math.max(...open.map((t) => t.level)),
        updatedAt: new Date(now),
      });
      result.processes++;
      result.running++;
    }
    await summaries.insertMany(summaryDocs, { ordered: false });
    if (taskDocs.length > 0) await tasks.insertMany(taskDocs, { ordered: false });
    log(`seed:processes: ${result.processes}/${count}`);
  }
  // Written around the activities: tell the API processes' indexes to read everything again.
  await appendChange(models, { kind: 'reload' });
  result.ms = Date.now() - began;
  return result;
}

export async function clearSeeded(models: Models): Promise<void> {
  await models.ProcessSummary.deleteMany({ _id: { $regex: '^seed:' } });
  await models.Task.deleteMany({ _id: { $regex: '^seed:' } });
  await appendChange(models, { kind: 'reload' });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '100000' },
      batch: { type: 'string', default: '5000' },
      uri: { type: 'string' },
      clear: { type: 'boolean', default: false },
    },
  });
  const count = Number(values.count);
  const batch = Number(values.batch);
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(batch) || batch < 1) throw new Error('--count and --batch must be whole numbers');
  const uri = values.uri ?? process.env.MONGODB_URI ?? (await import('../config/env.js')).loadConfig().MONGODB_URI;
  const conn = await connectDb(uri);
  try {
    const models = createModels(conn);
    await syncIndexes(models);
    if (values.clear) await clearSeeded(models);
    const r = await seedProcesses(models, { count, batch, log: (l) => console.log(l) });
    console.log(`seed:processes: ${r.processes} processes (${r.running} running), ${r.openTasks} open tasks (${r.overdueTasks} overdue) in ${(r.ms / 1000).toFixed(1)} s`);
  } finally {
    await conn.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error('seed:processes:', err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
