import type { Models } from '../models/index.js';
import { appendChange } from '../read-model/change-log.js';
import { insertOnce, updateByIdWhen } from '../models/db.js';

export interface ProcessSummaryInput {
  processId: string;
  processType: string;
  title: string;
  orgId: string;
  orgPath: string[];
  status: 'running' | 'completed' | 'cancelled' | 'failed';
  startedAt: string;
  endedAt?: string;
  activeElements: string[];
  openTasks: number;
  overdue: boolean;
  nextDueAt?: string;
  escalationLevel: number;
  /** Workflow time of this snapshot: an older snapshot never overwrites a newer one. */
  at: string;
}

export async function upsertProcessSummary(models: Models, input: ProcessSummaryInput): Promise<void> {
  const { processId, at, ...fields } = input;
  const doc = {
    ...fields,
    startedAt: new Date(fields.startedAt),
    endedAt: fields.endedAt ? new Date(fields.endedAt) : undefined,
    nextDueAt: fields.nextDueAt ? new Date(fields.nextDueAt) : undefined,
    updatedAt: new Date(at),
  };
  // Snapshots carry workflow time; a retried older one must not undo a newer one. Read and
  // written by `_id` alone (models/db.ts `updateByIdWhen`); the process's own activities are
  // its summary's only writer.
  const written = await updateByIdWhen<{ updatedAt: Date }>(models.ProcessSummary, processId, (current) => current !== null && current.updatedAt <= doc.updatedAt, {
    $set: doc,
  });
  if (!written) await insertOnce(models.ProcessSummary.collection, { _id: processId, ...doc });
  await appendChange(models, { kind: 'summary', id: processId });
}
