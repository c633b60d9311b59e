import type { Models } from '../models/index.js';

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

export async function appendAuditEntry(models: Models, entry: AuditInput): Promise<void> {
  await models.AuditEntry.updateOne(
    { entryId: entry.entryId },
    { $setOnInsert: { ...entry, at: new Date(entry.at) } },
    { upsert: true },
  );
}
