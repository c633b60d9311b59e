import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/**
 * The result of one period of one obligation cycle (what GET /api/v1/obligations lists).
 * `_id` is the period's process ID, `obligation:<orgId>:<code>[:<personId>]:<periodKey>`,
 * so every write is an idempotent upsert. States: open → met | late | missed; missed →
 * late when the records come in after the due date; open → withdrawn when the org leaves.
 */
export const OBLIGATION_PERIOD_STATES = ['open', 'met', 'late', 'missed', 'withdrawn'] as const;
export type ObligationPeriodState = (typeof OBLIGATION_PERIOD_STATES)[number];

export const obligationPeriodSchema = new Schema(
  {
    _id: { type: String, required: true },
    cycleId: { type: String, required: true, index: true },
    orgId: { type: String, required: true, index: true },
    orgPath: { type: [String], required: true, index: true },
    personId: { type: String },
    code: { type: String, required: true, index: true },
    periodKey: { type: String, required: true, index: true },
    periodStart: { type: String, required: true },
    policyVersion: { type: Number, required: true },
    dueDate: { type: String, required: true },
    state: { type: String, enum: OBLIGATION_PERIOD_STATES, required: true, index: true },
    /** Accepted records so far, and how many the period needs. */
    records: { type: Number, default: 0 },
    required: { type: Number, default: 1 },
    openedAt: { type: Date },
    closedAt: { type: Date },
    /** Event counts of the period process and of the cycle run that opened it (kept small by design). */
    historyLength: { type: Number },
    cycleHistoryLength: { type: Number },
    reason: { type: String },
  },
  { collection: 'obligation_periods', versionKey: false, minimize: false },
);
obligationPeriodSchema.index({ orgPath: 1, code: 1, periodStart: -1 });

export type ObligationPeriod = InferSchemaType<typeof obligationPeriodSchema> & { _id: string };

export function obligationPeriodModel(conn: Connection) {
  return conn.model('ObligationPeriod', obligationPeriodSchema);
}
