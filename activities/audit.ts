import type { Models } from '../models/index.js';
import type { AuditEntry } from '../models/audit.js';
import { insertOnce } from '../models/db.js';
import { appendSlot, readAllSlots, type SlotLog } from '../models/slot-log.js';

export interface AuditInput {
  /** Stable ID that makes the append idempotent (retries write one entry). */
  entryId: string;
  at: string;
  actor: { kind: 'user' | 'system'; sub?: string; role?: string; orgId?: string; personId?: string };
  action: string;
  target: { kind: string; id: string };
  orgId?: string;
  orgPath?: string[];
  processId?: string;
  elementId?: string;
  outcome: 'ok' | 'rejected';
  details?: Record<string, unknown>;
}

/**
 * A process's timeline: the IDs of its audit entries in the order they were written, in
 * numbered slots (`"<processId>#<n>"`, models/slot-log.ts), so that its history is read by
 * `_id` lookups only. Finding a process's entries by `processId` would read the whole audit
 * log on FerretDB, which grows by some ten entries per process.
 */
const timeline = (models: Models, processId: string): SlotLog => ({
  collection: models.conn.collection('audit_timelines'),
  slotId: (n) => `${processId}#${n}`,
});

/** This process's guess of each recent process's next timeline slot (bounded: the oldest guesses go first). */
const nextTimelineSlot = new Map<string, number>();
const MAX_GUESSES = 10_000;

/**
 * Appends an entry once: a retry of the same `entryId` (its first attempt landed or not) is
 * success. An entry of a process takes its place in the process's timeline first; a retry
 * may take a second place, which the reader drops (`processHistory`).
 */
export async function appendAuditEntry(models: Models, entry: AuditInput): Promise<void> {
  if (entry.processId) {
    const slot = await appendSlot(timeline(models, entry.processId), { entryId: entry.entryId }, nextTimelineSlot.get(entry.processId) ?? 0);
    nextTimelineSlot.delete(entry.processId); // re-inserted as the newest
    nextTimelineSlot.set(entry.processId, slot + 1);
    if (nextTimelineSlot.size > MAX_GUESSES) nextTimelineSlot.delete(nextTimelineSlot.keys().next().value as string);
  }
  await insertOnce(models.AuditEntry.collection, { _id: entry.entryId, ...entry, at: new Date(entry.at) });
}

/** A process's audit entries, oldest first, read through its timeline. */
export async function processHistory(models: Models, processId: string): Promise<AuditEntry[]> {
  const places = await readAllSlots<{ entryId: string }>(timeline(models, processId));
  // Entries written before processes had timelines are found the old way (a scan).
  if (places.length === 0) return models.AuditEntry.find({ processId }).sort({ at: 1, _id: 1 }).lean<AuditEntry[]>();
  const ids = [...new Set(places.map((p) => p.entryId))];
  const entries = await Promise.all(ids.map((id) => models.AuditEntry.findById(id).lean<AuditEntry>()));
  return entries.filter((e): e is NonNullable<typeof e> => e !== null).sort((a, b) => a.at.getTime() - b.at.getTime() || (String(a._id) < String(b._id) ? -1 : 1));
}
