import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/**
 * The append-only audit log: every state change with actor, time, target and outcome.
 * `entryId` makes writes idempotent: an activity retried after a timeout, or a
 * request repeated with the same Idempotency-Key, appends one entry, not two. It is also
 * the entry's `_id` (entries written before that have an ObjectId), so an append is one
 * insert addressed by `_id`: no lookup by another field, which FerretDB answers only by
 * reading the whole collection.
 */
export const auditEntrySchema = new Schema(
  {
    _id: { type: Schema.Types.Mixed },
    entryId: { type: String, required: true },
    at: { type: Date, required: true, index: true },
    actor: {
      kind: { type: String, enum: ['user', 'system'], required: true },
      sub: { type: String },
      role: { type: String },
      orgId: { type: String },
      personId: { type: String },
    },
    action: { type: String, required: true },
    target: {
      kind: { type: String, required: true },
      id: { type: String, required: true },
    },
    /** Organisation the target belongs to, for subtree-scoped reading. */
    orgId: { type: String, index: true },
    /** Materialised path of that organisation, for subtree filters without $lookup. */
    orgPath: { type: [String], index: true },
    /** The process the entry belongs to, for its readable timeline. */
    processId: { type: String, index: true },
    /** The element of the process model, for the timeline and the diagram. */
    elementId: { type: String },
    outcome: { type: String, enum: ['ok', 'rejected'], required: true },
    details: { type: Schema.Types.Mixed },
  },
  { collection: 'audit', versionKey: false },
);

export type AuditEntry = InferSchemaType<typeof auditEntrySchema>;

export function auditModel(conn: Connection) {
  return conn.model('AuditEntry', auditEntrySchema);
}
