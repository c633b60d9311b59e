/**
 * The read-model change log: an append-only sequence of "this record changed" entries that
 * the activities write after each process-summary or task write, and that every API
 * process reads to keep its in-memory process index (./process-index.ts) current.
 *
 * Why a log of numbered slots: FerretDB 1.24 answers only `{ _id: "<string>" }` from an
 * index (everything else scans the collection) and its updates are not atomic, so neither
 * "changed since T" queries nor a shared counter work there. Inserting a document with a
 * given `_id` is atomic on every MongoDB-protocol server (a second insert of it fails with
 * a duplicate-key error), so a writer claims slot n by inserting `_id: "<epoch>.<n>"`, and
 * readers follow the log with `_id` lookups only. A writer only ever inserts slot n after
 * seeing slot n-1 exist, so the log has no gaps: the first missing slot is its end.
 *
 * Epochs keep the log from growing for ever (compactChangeLog): the current epoch is named
 * by one document; compaction starts the next epoch and deletes epochs before the previous
 * one. A writer reads the epoch after its record write and appends there; a reader that
 * sees the epoch change reads everything again. So a write is never lost: if it went to the
 * old epoch after a reader moved on, the reader's full read came after the record write.
 */
import type { Models } from '../models/index.js';
import type { ReadModelChange } from '../models/read-model-change.js';
import { appendSlots, firstFreeSlot, freeSlotNear, readSlots, type SlotLog } from '../models/slot-log.js';

export type Change = { kind: 'summary' | 'task'; id: string } | { kind: 'reload' };

/** The document naming the current epoch (its field is not `epoch`, so compaction's filter skips it). */
const EPOCH_DOC = 'current-epoch';

/** The slots of one epoch (models/slot-log.ts). */
const epochLog = (models: Models, epoch: number): SlotLog => ({ collection: models.ReadModelChange.collection, slotId: (n) => `${epoch}.${n}` });

export async function currentEpoch(models: Models): Promise<number> {
  const doc = await models.ReadModelChange.collection.findOne<{ current?: number }>({ _id: EPOCH_DOC } as never);
  return doc?.current ?? 0;
}

/** The first free slot of `epoch` at or after `from`, given that every slot before `from` is taken. */
export function endOfLog(models: Models, epoch: number, from = 0): Promise<number> {
  return firstFreeSlot(epochLog(models, epoch), from);
}

/**
 * Each connection's appender: changes reported while a write is under way wait and go
 * together in the next one. Many activities run at once in a worker; each appending on its
 * own would guess the same slot, collide and search again (with 100 in flight, appends timed
 * out), while one writer per process usually takes one insert for a whole batch.
 */
const appenders = new WeakMap<object, ChangeAppender>();

/**
 * Most entries written by one insert. FerretDB 1.24 keeps an ordered insert's order only
 * within one of its internal batches (100 documents): past a duplicate `_id` it goes on with
 * the next batch, which would write entries twice. So a batch stays below that.
 */
const MAX_BATCH = 64;

class ChangeAppender {
  private waiting: Array<{ change: Change; done: (err?: Error) => void }> = [];
  private writing = false;
  /** Where the last batch ended: usually where the next one goes. */
  private next = { epoch: 0, slot: 0 };

  constructor(private readonly models: Models) {}

  append(change: Change): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ change, done: (err) => (err === undefined ? resolve() : reject(err)) });
      if (!this.writing) void this.writeAll();
    });
  }

  private async writeAll(): Promise<void> {
    this.writing = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, MAX_BATCH);
        try {
          // Read after every write the batch reports (each was finished before it was queued).
          const epoch = await currentEpoch(this.models);
          const at = new Date();
          const docs = batch.map(({ change }) => ({ epoch, ...change, at }));
          const slot = await appendSlots(epochLog(this.models, epoch), docs, this.next.epoch === epoch ? this.next.slot : 0);
          this.next = { epoch, slot };
          for (const { done } of batch) done();
        } catch (err) {
          const failure = err instanceof Error ? err : new Error(`change log append failed: ${String(err)}`);
          for (const { done } of batch) done(failure);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}

/**
 * A slot at or past the end of `epoch`'s log and at most 32 past it, given that every slot
 * before `from` is taken: usually one round trip of lookups side by side.
 */
export function endOfLogAbove(models: Models, epoch: number, from: number): Promise<number> {
  return freeSlotNear(epochLog(models, epoch), from, 32, 16);
}

/** Appends one entry; call it after the write it reports, so a reader that sees it sees the write. */
export function appendChange(models: Models, change: Change): Promise<void> {
  const log = models.ReadModelChange;
  let appender = appenders.get(log);
  if (!appender) appenders.set(log, (appender = new ChangeAppender(models)));
  return appender.append(change);
}

/**
 * The entries of `epoch` from `from` on, up to `max`; stops at the first free slot (a slot
 * being written right now is read on the next call).
 */
export function readChanges(models: Models, epoch: number, from: number, max: number): Promise<ReadModelChange[]> {
  return readSlots<ReadModelChange>(epochLog(models, epoch), from, max);
}

/**
 * Starts the next epoch and deletes the entries of every epoch before the one just ended
 * (that one stays, for a reader part way through reading it). Every API process reads all
 * records again when it sees the new epoch, so run it when the log's size matters, not
 * often (`npm run compact:changes`). One compaction at a time.
 */
export async function compactChangeLog(models: Models): Promise<{ epoch: number; removed: number }> {
  const ended = await currentEpoch(models);
  await models.ReadModelChange.collection.updateOne({ _id: EPOCH_DOC } as never, { $set: { current: ended + 1 } }, { upsert: true });
  const { deletedCount } = await models.ReadModelChange.collection.deleteMany({ epoch: { $lt: ended } });
  return { epoch: ended + 1, removed: deletedCount };
}
