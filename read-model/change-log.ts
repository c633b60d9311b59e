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
import { appendSlot, firstFreeSlot, readSlots, type SlotLog } from '../models/slot-log.js';

export type Change = { kind: 'summary' | 'task'; id: string } | { kind: 'reload' };

/** The document naming the current epoch (its field is not `epoch`, so compaction's filter skips it). */
const EPOCH_DOC = 'current-epoch';

/** Each connection's guess of the log's end, so an append usually takes one insert. */
const nextSlotGuess = new WeakMap<object, { epoch: number; slot: number }>();

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

/** Appends one entry; call it after the write it reports, so a reader that sees it sees the write. */
export async function appendChange(models: Models, change: Change): Promise<void> {
  const log = models.ReadModelChange;
  const epoch = await currentEpoch(models);
  const guess = nextSlotGuess.get(log);
  const slot = await appendSlot(epochLog(models, epoch), { epoch, ...change, at: new Date() }, guess?.epoch === epoch ? guess.slot : 0);
  nextSlotGuess.set(log, { epoch, slot: slot + 1 });
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
