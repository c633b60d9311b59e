/**
 * The core path's promises that a benchmark cannot show (issue 11), against the test
 * MongoDB-protocol server: a retried write finds its first attempt and succeeds; a process's
 * history reads each entry once; another process's edit of the organisation tree is seen at
 * once; a read of the process index is not held by a stream of writes nor by a long reload.
 */
import { afterAll, beforeAll, describe, expect, it, inject, vi } from 'vitest';
import { connectDb } from '../../models/db.js';
import { createModels, type Models } from '../../models/index.js';
import { appendAuditEntry, processHistory, type AuditInput } from '../../activities/audit.js';
import { completeTaskRecord, openTaskRecord } from '../../activities/tasks.js';
import { upsertProcessSummary } from '../../activities/processes.js';
import { findOrg, upperDicOf } from '../../models/org-queries.js';
import { currentProcessPolicy, seedPolicies } from '../../models/policy.js';
import { ProcessIndex } from '../../read-model/process-index.js';
import { appendChange } from '../../read-model/change-log.js';
import type { TaskState } from '../../domain/tasks.js';
import { endOfDayInstant } from '../../domain/calendar.js';
import { inDays, loadTree, reportTask, tree } from '../support/fixtures.js';
import { testModels, uniqueId } from '../support/services.js';

const entry = (processId: string, suffix: string, at: string): AuditInput => ({
  entryId: `${processId}:${suffix}`,
  at,
  actor: { kind: 'system' },
  action: `test.${suffix}`,
  target: { kind: 'process', id: processId },
  processId,
  outcome: 'ok',
});

const seededSummary = (id: string) => ({
  _id: id,
  processType: 'test',
  title: id,
  orgId: tree.townA._id,
  orgPath: [...tree.townA.path],
  status: 'running',
  startedAt: new Date(),
  activeElements: [],
  openTasks: 0,
  overdue: false,
  escalationLevel: 0,
  updatedAt: new Date(),
});

function openTask(taskId: string): TaskState {
  return { ...reportTask(inDays(10)), taskId, status: 'open', dueAt: endOfDayInstant(inDays(10)), createdAt: new Date().toISOString(), overdue: false, escalationLevel: 0 };
}

describe('the core path', () => {
  let db: Awaited<ReturnType<typeof testModels>>;
  /** A second connection to the same database: another API or worker process. */
  let other: Models;

  beforeAll(async () => {
    db = await testModels();
    await loadTree(db.models);
    const uri = new URL(inject('mongoUri'));
    uri.pathname = `/${db.models.conn.name}`;
    other = createModels(await connectDb(uri.toString()));
  });
  afterAll(async () => {
    await other?.conn.close();
    await db?.close();
  });

  it('when an activity is retried after its first attempt landed, then it succeeds and nothing is written twice', async () => {
    const processId = uniqueId('proc');
    const task = openTask(`${processId}:theTask:1`);
    const ref = { processId, processType: 'test' };
    // The same writes twice, the second time from "another worker" as a retry after a timeout would be.
    await openTaskRecord(db.models, ref, task);
    await expect(openTaskRecord(other, ref, task)).resolves.toBeUndefined();
    await appendAuditEntry(db.models, entry(processId, 'started', '2026-01-01T00:00:00.000Z'));
    await expect(appendAuditEntry(other, entry(processId, 'started', '2026-01-01T00:00:00.000Z'))).resolves.toBeUndefined();

    expect(await db.models.Task.countDocuments({ processId })).toBe(1);
    expect(await db.models.AuditEntry.countDocuments({ processId, action: 'test.started' })).toBe(1);
    // The history shows each entry once, in time order, though the retry took a second place in the timeline.
    const history = await processHistory(db.models, processId);
    expect(history.map((e) => e.action)).toEqual(['test.started', 'task.opened']);
  });

  it('when two writers append to one process\'s timeline at once, then its history has every entry once, oldest first', async () => {
    const processId = uniqueId('proc');
    const at = (i: number) => new Date(Date.UTC(2027, 0, 1, 0, 0, i)).toISOString();
    await Promise.all(Array.from({ length: 12 }, (_, i) => appendAuditEntry(i % 2 ? db.models : other, entry(processId, `step${i}`, at(i)))));
    const history = await processHistory(db.models, processId);
    expect(history.map((e) => e.action)).toEqual(Array.from({ length: 12 }, (_, i) => `test.step${i}`));
  });

  it('when another process creates an organisation or edits a policy, then this process sees it at its next question', async () => {
    // This process's directory is loaded first, so what follows must invalidate it.
    expect(await findOrg(db.models, tree.townA._id)).not.toBeNull();
    const id = uniqueId('newtown-pc');
    await other.Org.create({ _id: id, kind: 'pc', category: 'town', name: 'New Town PC', nameZh: '新镇党委', parentId: tree.cityPc._id, path: [...tree.cityPc.path, id] });
    expect((await findOrg(db.models, id))?.name).toBe('New Town PC');
    // The tree questions see it too: a town under the city has the city's DIC above it.
    expect((await upperDicOf(db.models, id))?._id).toBe(tree.cityDic._id);
    // Policies: none seeded yet in this database; another process seeds them.
    expect(await currentProcessPolicy(db.models, 'PROCESS-RECTIFICATION')).toBeNull();
    await seedPolicies(other);
    expect((await currentProcessPolicy(db.models, 'PROCESS-RECTIFICATION'))?.version).toBe(1);
  });

  it('when a task whose record the index holds is completed elsewhere, then the next read shows it completed', async () => {
    const index = new ProcessIndex(db.models, { pollMs: 0 });
    try {
      const processId = uniqueId('proc');
      const task = openTask(`${processId}:theTask:1`);
      await openTaskRecord(other, { processId, processType: 'test' }, task);
      await index.current();
      expect((await index.taskRecords([task.taskId])).map((t) => t.status)).toEqual(['open']);
      await completeTaskRecord(other, { processId, processType: 'test' }, { ...task, status: 'completed', completedAt: new Date().toISOString(), completedBy: { sub: 'u', role: 'unit', orgId: tree.townA._id }, late: false, result: {} });
      await index.current();
      expect((await index.taskRecords([task.taskId])).map((t) => t.status)).toEqual(['completed']);
      expect(index.findTasks({ processId, status: 'open' })).toEqual([]);
    } finally {
      index.stop();
    }
  });

  it('when writes keep coming while a read of the index waits, then the read answers with every write made before it', async () => {
    const index = new ProcessIndex(db.models, { pollMs: 0 });
    await index.current();
    const summary = (processId: string) => ({
      processId,
      processType: 'test',
      title: processId,
      orgId: tree.townA._id,
      orgPath: [...tree.townA.path],
      status: 'running' as const,
      startedAt: new Date().toISOString(),
      activeElements: [],
      openTasks: 0,
      overdue: false,
      escalationLevel: 0,
      at: new Date().toISOString(),
    });
    const mine = uniqueId('mine');
    await upsertProcessSummary(other, summary(mine));
    // A writer in another process that keeps appending while the read runs.
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing && i < 400; i++) await upsertProcessSummary(other, summary(`${mine}-later-${i}`));
    })();
    try {
      const began = Date.now();
      await index.current();
      expect(index.findSummaries({ _id: mine }).map((s) => s._id)).toEqual([mine]);
      expect(index.isBehind()).toBe(false);
      expect(Date.now() - began).toBeLessThan(2_000);
    } finally {
      writing = false;
      await writer;
      index.stop();
    }
  });

  it('when catching up takes longer than the bound (a full reload after a bulk load), then the read answers within it from the index as it stands, marked behind', async () => {
    const index = new ProcessIndex(db.models, { pollMs: 0, maxWaitMs: 1 });
    try {
      await index.current();
      await vi.waitFor(() => expect(index.stats().logPosition).toBeGreaterThan(0));
      const before = index.stats().summaries;
      // A bulk writer: records written straight to the database, then "reload everything".
      await other.ProcessSummary.collection.insertOne({ ...seededSummary(uniqueId('bulk')) } as never);
      await appendChange(other, { kind: 'reload' });
      await index.current();
      expect(index.isBehind()).toBe(true);
      expect(index.stats().summaries).toBe(before);
      // The reload goes on in the background and lands.
      await vi.waitFor(() => expect(index.stats().summaries).toBe(before + 1), { timeout: 10_000 });
    } finally {
      index.stop();
    }
  });
});
