import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/** One row per process, kept current by activities, for search and dashboards. */
export const processSummarySchema = new Schema(
  {
    _id: { type: String, required: true },
    processType: { type: String, required: true, index: true },
    title: { type: String, required: true },
    orgId: { type: String, required: true, index: true },
    orgPath: { type: [String], required: true, index: true },
    status: { type: String, enum: ['running', 'completed', 'cancelled', 'failed'], required: true, index: true },
    startedAt: { type: Date, required: true, index: true },
    endedAt: { type: Date },
    activeElements: { type: [String], default: [] },
    openTasks: { type: Number, default: 0 },
    overdue: { type: Boolean, default: false, index: true },
    nextDueAt: { type: Date, index: true },
    escalationLevel: { type: Number, default: 0 },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'process_summaries', versionKey: false },
);

// Search and dashboard filters (api/processes/search.ts, api/dashboard/): the scope
// (orgPath subtree or orgId) first, then status, then the sort key, so a page in either
// sort order is read off the index; processType and overdue variants for their filters.
processSummarySchema.index({ orgPath: 1, status: 1, startedAt: -1 });
processSummarySchema.index({ orgPath: 1, status: 1, nextDueAt: 1 });
processSummarySchema.index({ orgPath: 1, processType: 1, status: 1, startedAt: -1 });
processSummarySchema.index({ orgPath: 1, overdue: 1, nextDueAt: 1 });
processSummarySchema.index({ orgId: 1, status: 1, startedAt: -1 });
processSummarySchema.index({ status: 1, startedAt: -1 });
processSummarySchema.index({ status: 1, nextDueAt: 1 });

export type ProcessSummary = InferSchemaType<typeof processSummarySchema> & { _id: string };

export function processSummaryModel(conn: Connection) {
  return conn.model('ProcessSummary', processSummarySchema);
}
