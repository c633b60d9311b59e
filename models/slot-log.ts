/**
 * An append-only log of numbered slots in a collection, read and written by `_id` alone:
 * the read-model change log (`"<epoch>.<n>"`, read-model/change-log.ts) and each process's
 * timeline of audit entries (`"<processId>#<n>"`, activities/audit.ts) are such logs.
 *
 * Why slots: FerretDB 1.24 answers only `{ _id: "<string>" }` from an index and its updates
 * are not atomic, so neither "entries after X" queries nor a shared counter work there.
 * Inserting a document with a given `_id` is atomic on every MongoDB-protocol server (a
 * second insert of it fails with a duplicate-key error), so a writer claims slot n by
 * inserting it. A writer only ever inserts slot n after seeing slot n-1 taken, so a log has
 * no gaps: its first free slot is its end.
 */
import type { Collection } from 'mongodb';
import { isDuplicateKey } from './db.js';

export interface SlotLog {
  collection: Collection;
  /** The `_id` of slot n. */
  slotId(n: number): string;
}

async function taken(log: SlotLog, n: number): Promise<boolean> {
  return (await log.collection.findOne({ _id: log.slotId(n) } as never, { projection: { _id: 1 } })) !== null;
}

/**
 * The first free slot at or after `from`, given that every slot before `from` is taken:
 * doubling steps to pass the end, then halving back to it (a few dozen lookups at most).
 */
export async function firstFreeSlot(log: SlotLog, from = 0): Promise<number> {
  let below = from; // every slot below `below` is taken
  let step = 1;
  let free: number;
  for (;;) {
    const probe = below + step - 1;
    if (!(await taken(log, probe))) {
      free = probe;
      break;
    }
    below = probe + 1;
    step *= 2;
  }
  while (below < free) {
    const mid = Math.floor((below + free) / 2);
    if (await taken(log, mid)) below = mid + 1;
    else free = mid;
  }
  return below;
}

/**
 * A free slot at most `stride` past the first free one, given that every slot before `from` is
 * taken: `probes` slots `stride` apart are looked up side by side (one round trip); the first
 * free one is the answer. Past them all, the exact end is searched for from the last.
 */
export async function freeSlotNear(log: SlotLog, from: number, stride: number, probes: number): Promise<number> {
  const at = Array.from({ length: probes }, (_, i) => from + i * stride);
  const isTaken = await Promise.all(at.map((n) => taken(log, n)));
  const firstFree = isTaken.indexOf(false);
  // A log has no gaps, so every slot up to a taken probe is taken.
  return firstFree === -1 ? firstFreeSlot(log, (at.at(-1) as number) + 1) : (at[firstFree] as number);
}

/**
 * Appends `doc` in the first free slot, trying `guess` first (the slot after the last one
 * this process wrote: usually right, so an append is usually one insert). Returns the slot.
 */
export async function appendSlot(log: SlotLog, doc: Record<string, unknown>, guess = 0): Promise<number> {
  return (await appendSlots(log, [doc], guess)) - 1;
}

/**
 * Appends `docs` in consecutive free slots, in their order, trying from `guess` on: one
 * ordered insert of them all, so a batch usually costs one round trip. Where another writer
 * took a slot first, the insert stops there (everything before it is written), and the rest
 * go on from the first free slot after it. Returns the slot after the last one written.
 * Keep a batch under 100 documents (FerretDB 1.24's own insert batch; read-model/change-log.ts).
 */
export async function appendSlots(log: SlotLog, docs: Array<Record<string, unknown>>, guess = 0): Promise<number> {
  let slot = guess;
  let rest = docs;
  while (rest.length > 0) {
    try {
      await log.collection.insertMany(rest.map((doc, i) => ({ _id: log.slotId(slot + i), ...doc })) as never[], { ordered: true });
      return slot + rest.length;
    } catch (err) {
      const written = writtenBeforeDuplicate(err);
      if (written === undefined) throw err;
      rest = rest.slice(written);
      slot = await firstFreeSlot(log, slot + written + 1);
    }
  }
  return slot;
}

/** How many documents an ordered insert wrote before it met a taken `_id`; undefined for any other failure. */
function writtenBeforeDuplicate(err: unknown): number | undefined {
  const writeErrors = (err as { writeErrors?: unknown } | null)?.writeErrors;
  const first = Array.isArray(writeErrors) ? (writeErrors[0] as { index?: number; code?: number } | undefined) : (writeErrors as { index?: number; code?: number } | undefined);
  if (first && first.code === 11000 && typeof first.index === 'number') return first.index;
  // A single-document insert reports the duplicate as the error itself.
  return isDuplicateKey(err) && !first ? 0 : undefined;
}

/**
 * The entries from slot `from` on, up to `max`; stops at the first free slot (a slot being
 * written right now is read next time). Usually nothing is new: one lookup says so;
 * otherwise the rest are read side by side.
 */
export async function readSlots<T>(log: SlotLog, from: number, max: number): Promise<T[]> {
  const read = (n: number) => log.collection.findOne({ _id: log.slotId(n) } as never) as Promise<T | null>;
  const first = await read(from);
  if (!first) return [];
  const rest = await Promise.all(Array.from({ length: max - 1 }, (_, i) => read(from + 1 + i)));
  const end = rest.findIndex((entry) => entry === null);
  return [first, ...((end === -1 ? rest : rest.slice(0, end)) as T[])];
}

/** Every entry of a log, from its first slot to its end. */
export async function readAllSlots<T>(log: SlotLog, batch = 32): Promise<T[]> {
  const all: T[] = [];
  for (;;) {
    const entries = await readSlots<T>(log, all.length, batch);
    all.push(...entries);
    if (entries.length < batch) return all;
  }
}
