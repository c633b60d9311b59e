/**
 * The read-model change log on the test MongoDB-protocol server (FerretDB by default):
 * several processes append at once, and the log stays one gapless sequence with every
 * change in it exactly once.
 */
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { connectDb } from '../../models/db.js';
import { createModels, type Models } from '../../models/index.js';
import { appendChange, compactChangeLog, currentEpoch, endOfLog, readChanges } from '../../read-model/change-log.js';
import { testModels } from '../support/services.js';

describe('read-model change log', () => {
  let db: Awaited<ReturnType<typeof testModels>>;
  /** Three "processes": separate connections to one database, each with its own guess of the log's end. */
  let writers: Models[];

  beforeAll(async () => {
    db = await testModels();
    const uri = new URL(inject('mongoUri'));
    uri.pathname = `/${db.models.conn.name}`;
    writers = [db.models, createModels(await connectDb(uri.toString())), createModels(await connectDb(uri.toString()))];
  });
  afterAll(async () => {
    for (const w of writers.slice(1)) await w.conn.close();
    await db?.close();
  });

  it('when three processes append 20 changes each at the same time, then the log holds all 60 in slots 0–59, none twice', async () => {
    await Promise.all(writers.flatMap((w, p) => Array.from({ length: 20 }, (_, i) => appendChange(w, { kind: 'task', id: `p${p}-t${i}` }))));
    expect(await endOfLog(db.models, 0)).toBe(60);
    const entries = await readChanges(db.models, 0, 0, 80);
    expect(entries.map((e) => e._id)).toEqual(Array.from({ length: 60 }, (_, i) => `0.${i}`));
    const ids = entries.map((e) => e.id).sort();
    expect(new Set(ids).size).toBe(60);
    expect(ids).toContain('p2-t19');
  });

  it('when three processes each report 150 changes at once (a busy worker), then all 450 follow in order with no gap and none twice', async () => {
    const start = await endOfLog(db.models, 0);
    await Promise.all(writers.flatMap((w, p) => Array.from({ length: 150 }, (_, i) => appendChange(w, { kind: 'summary', id: `busy-p${p}-${i}` }))));
    expect(await endOfLog(db.models, 0, start)).toBe(start + 450);
    const entries = await readChanges(db.models, 0, start, 500);
    expect(entries.map((e) => e._id)).toEqual(Array.from({ length: 450 }, (_, i) => `0.${start + i}`));
    expect(new Set(entries.map((e) => e.id)).size).toBe(450);
    // Each process's changes keep the order it reported them in.
    const ofFirst = entries.map((e) => e.id as string).filter((id) => id.startsWith('busy-p0-'));
    expect(ofFirst).toEqual(Array.from({ length: 150 }, (_, i) => `busy-p0-${i}`));
  });

  it('when a reader starts part way, then it gets the entries from there to the end and no further', async () => {
    const end = await endOfLog(db.models, 0);
    await appendChange(writers[1] as Models, { kind: 'reload' });
    const tail = await readChanges(db.models, 0, end - 2, 10);
    expect(tail.map((e) => e._id)).toEqual([`0.${end - 2}`, `0.${end - 1}`, `0.${end}`]);
    expect(tail.at(-1)).toMatchObject({ kind: 'reload' });
    expect(await readChanges(db.models, 0, end + 1, 10)).toEqual([]);
    expect(await endOfLog(db.models, 0, end - 5)).toBe(end + 1);
  });

  it('when the log is compacted twice, then writers move to the new epoch and the entries two epochs old are gone', async () => {
    const [first, second] = writers as [Models, Models];
    const before = await endOfLog(db.models, 0);
    expect(await compactChangeLog(db.models)).toEqual({ epoch: 1, removed: 0 });
    // The second writer's guess still points into epoch 0: it must start epoch 1 at slot 0, not go on.
    await appendChange(second, { kind: 'summary', id: 'after-first-compaction' });
    await appendChange(first, { kind: 'summary', id: 'after-first-compaction-2' });
    expect((await readChanges(db.models, 1, 0, 10)).map((e) => [e._id, e.id])).toEqual([
      ['1.0', 'after-first-compaction'],
      ['1.1', 'after-first-compaction-2'],
    ]);
    expect(await endOfLog(db.models, 0)).toBe(before);

    expect(await compactChangeLog(db.models)).toEqual({ epoch: 2, removed: before });
    expect(await readChanges(db.models, 0, 0, 10)).toEqual([]);
    expect(await endOfLog(db.models, 1)).toBe(2);
    await appendChange(second, { kind: 'task', id: 'in-epoch-2' });
    expect(await currentEpoch(db.models)).toBe(2);
    expect((await readChanges(db.models, 2, 0, 10)).map((e) => e._id)).toEqual(['2.0']);
  });
});
