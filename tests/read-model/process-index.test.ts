/**
 * The API's in-memory process index against the test MongoDB-protocol server: it answers
 * a filter exactly as the database does, and an index in another process sees a change
 * written through the activities at its next read.
 */
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { connectDb } from '../../models/db.js';
import { createModels, type Models } from '../../models/index.js';
import type { ProcessSummary } from '../../models/process-summary.js';
import { ProcessIndex } from '../../read-model/process-index.js';
import { compactChangeLog } from '../../read-model/change-log.js';
import { upsertProcessSummary, type ProcessSummaryInput } from '../../activities/processes.js';
import { cancelTaskRecord, markTaskOverdueRecord, openTaskRecord } from '../../activities/tasks.js';
import type { TaskState } from '../../domain/tasks.js';
import { endOfDayInstant } from '../../domain/calendar.js';
import { inDays, reportTask, tree } from '../support/fixtures.js';
import { testModels } from '../support/services.js';

const ORGS = [tree.townA, tree.townADic, tree.townB, tree.cityPc];
const TYPES = ['rectification', 'interview', 'obligation-cycle'];
const STATUSES = ['running', 'running', 'completed', 'cancelled'] as const;

function summaryInput(i: number): ProcessSummaryInput {
  const org = ORGS[i % ORGS.length] as (typeof ORGS)[number];
  const day = 86_400_000;
  const base = Date.parse('2027-01-01T00:00:00Z');
  return {
    processId: `proc-${String(i).padStart(3, '0')}`,
    processType: TYPES[i % TYPES.length] as string,
    title: `process ${i}`,
    orgId: org._id,
    orgPath: [...org.path],
    status: STATUSES[(i * 7) % STATUSES.length] as ProcessSummaryInput['status'],
    startedAt: new Date(base + ((i * 37) % 90) * day).toISOString(),
    activeElements: ['theTask'],
    openTasks: 1,
    overdue: i % 3 === 0,
    // Every fifth has no next due date: missing values must sort as MongoDB sorts them.
    ...(i % 5 === 0 ? {} : { nextDueAt: new Date(base + ((i * 53) % 120) * day).toISOString() }),
    escalationLevel: 0,
    at: new Date(base).toISOString(),
  };
}

function openTask(taskId: string, dueInDays: number): TaskState {
  return { ...reportTask(inDays(dueInDays)), taskId, status: 'open', dueAt: endOfDayInstant(inDays(dueInDays)), createdAt: new Date().toISOString(), overdue: false, escalationLevel: 0 };
}

describe('process index', () => {
  let db: Awaited<ReturnType<typeof testModels>>;
  let other: Models;
  let index: ProcessIndex;
  let otherIndex: ProcessIndex;

  beforeAll(async () => {
    db = await testModels();
    const uri = new URL(inject('mongoUri'));
    uri.pathname = `/${db.models.conn.name}`;
    other = createModels(await connectDb(uri.toString()));
    for (let i = 0; i < 60; i += 10) await Promise.all(Array.from({ length: 10 }, (_, k) => upsertProcessSummary(db.models, summaryInput(i + k))));
    index = new ProcessIndex(db.models, { pollMs: 0 });
    otherIndex = new ProcessIndex(other, { pollMs: 0 });
  });
  afterAll(async () => {
    index?.stop();
    otherIndex?.stop();
    await other?.conn.close();
    await db?.close();
  });

  const filters: Array<Record<string, unknown>> = [
    {},
    { orgPath: tree.townA._id },
    { orgPath: tree.cityPc._id, status: 'running' },
    { orgId: tree.townB._id, processType: 'rectification' },
    { overdue: true, status: 'running' },
    { nextDueAt: { $gte: new Date('2027-02-01T00:00:00Z'), $lte: new Date('2027-03-01T00:00:00Z') } },
    { startedAt: { $lte: new Date('2027-01-20T00:00:00Z') }, overdue: false },
  ];

  it('when a filter is asked of the index and of the database, then both give the same processes in the same order', async () => {
    await index.current();
    for (const filter of filters) {
      for (const [key, order] of [['startedAt', 'desc'], ['nextDueAt', 'asc'], ['nextDueAt', 'desc']] as const) {
        const direction = order === 'asc' ? 1 : -1;
        const fromDb = await db.models.ProcessSummary.find(filter).sort({ [key]: direction, _id: direction }).lean<ProcessSummary[]>();
        const found = index.findSummaries(filter);
        expect(found.length, JSON.stringify(filter)).toBe(fromDb.length);
        const whole = index.pageOfSummaries(filter, key, order, 0, 1000);
        expect(whole.page.map((s) => s._id), `${JSON.stringify(filter)} by ${key} ${order}`).toEqual(fromDb.map((s) => s._id));
        expect(whole.total).toBe(fromDb.length);
        // An early page of many matches is read from the front of the order (or takes the one pass): the database's page.
        const early = index.pageOfSummaries(filter, key, order, 2, 3);
        expect(early.page.map((s) => s._id), `page of ${JSON.stringify(filter)} by ${key} ${order}`).toEqual(fromDb.slice(2, 5).map((s) => s._id));
        expect(early.total).toBe(fromDb.length);
      }
    }
    expect(index.findSummaries({ orgPath: tree.cityPc._id }).length).toBe(60);
  });

  it('when an activity writes a summary and tasks through one connection, then an index on another connection has them at its next read', async () => {
    await otherIndex.current();
    await upsertProcessSummary(db.models, { ...summaryInput(100), processId: 'proc-new', overdue: true });
    await openTaskRecord(db.models, { processId: 'proc-new', processType: 'rectification' }, openTask('proc-new:a', 3));
    await openTaskRecord(db.models, { processId: 'proc-new', processType: 'rectification' }, openTask('proc-new:b', -2));
    await markTaskOverdueRecord(db.models, { processId: 'proc-new', processType: 'rectification' }, openTask('proc-new:b', -2), new Date().toISOString());

    await otherIndex.current();
    expect(otherIndex.findSummaries({ _id: 'proc-new' }).map((s) => s.overdue)).toEqual([true]);
    expect(otherIndex.findOpenTasks({ processId: 'proc-new' }).map((t) => [t._id, t.overdue]).sort()).toEqual([
      ['proc-new:a', false],
      ['proc-new:b', true],
    ]);

    await cancelTaskRecord(db.models, { processId: 'proc-new', processType: 'rectification' }, openTask('proc-new:a', 3), 'process cancelled', new Date().toISOString());
    await otherIndex.current();
    expect(otherIndex.findOpenTasks({ processId: 'proc-new' }).map((t) => t._id)).toEqual(['proc-new:b']);
  });

  it('when an older snapshot of a process arrives after a newer one, then the index keeps the newer, as the database does', async () => {
    const newer = { ...summaryInput(1), status: 'completed' as const, at: '2027-06-01T00:00:00Z' };
    await upsertProcessSummary(db.models, newer);
    await upsertProcessSummary(db.models, { ...summaryInput(1), status: 'running', at: '2027-05-01T00:00:00Z' });
    await index.current();
    expect(index.findSummaries({ _id: 'proc-001' }).map((s) => s.status)).toEqual(['completed']);
  });

  it('when reads overlap with writes, then each read sees every write that finished before it began', async () => {
    // Each read starts while earlier reads may still be catching up; it must not be answered by a round that began before it.
    const reads: Array<Promise<void>> = [];
    for (let i = 0; i < 12; i++) {
      const id = `proc-overlap-${i}`;
      await upsertProcessSummary(other, { ...summaryInput(300 + i), processId: id });
      reads.push(index.current().then((ix) => expect(ix.findSummaries({ _id: id }), id).toHaveLength(1)));
    }
    await Promise.all(reads);
  });

  it('when the change log is compacted while an index follows it, then the index reads everything again and misses no write', async () => {
    await index.current();
    const before = index.stats();
    await upsertProcessSummary(db.models, { ...summaryInput(200), processId: 'proc-before-compaction' });
    expect((await compactChangeLog(db.models)).epoch).toBe(1);
    // Written after the compaction by the other connection, whose guess of the log's end is from epoch 0.
    await upsertProcessSummary(other, { ...summaryInput(201), processId: 'proc-after-compaction' });
    await index.current();
    expect(index.findSummaries({ _id: 'proc-before-compaction' })).toHaveLength(1);
    expect(index.findSummaries({ _id: 'proc-after-compaction' })).toHaveLength(1);
    expect(index.stats()).toMatchObject({ state: 'ready', summaries: before.summaries + 2, logPosition: 1 });
    // And it follows the new epoch from there.
    await upsertProcessSummary(db.models, { ...summaryInput(202), processId: 'proc-later' });
    await index.current();
    expect(index.stats()).toMatchObject({ summaries: before.summaries + 3, logPosition: 2 });
  });
});
