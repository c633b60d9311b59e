import type { Models } from '../models/index.js';
import { insertOnce } from '../models/db.js';

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

/** Appends an entry once: a retry of the same `entryId` (its first attempt landed or not) is success. */
export async function appendAuditEntry(models: Models, entry: AuditInput): Promise<void> {
  await insertOnce(models.AuditEntry.collection, { _id: entry.entryId, ...entry, at: new Date(entry.at) });
}
