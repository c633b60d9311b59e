import { Schema, type Connection } from 'mongoose';

/**
 * An Idempotency-Key's claim and then its first answer (api/http/idempotency.ts), addressed
 * by `_id` only: a hash of the caller and the key. `running` with `expiresAt` while the first
 * request is being processed; `done` with the answer once it is answered.
 */
export const idempotencySchema = new Schema(
  {
    _id: { type: String, required: true },
    /** The request the key names: method, path and canonical body, hashed. */
    fingerprint: { type: String },
    state: { type: String, enum: ['running', 'done'] },
    /** Which request holds the claim, so only it completes or releases it. */
    token: { type: String },
    /** When a claim left by a crashed process may be taken over. */
    expiresAt: { type: Date },
    status: { type: Number },
    body: { type: Schema.Types.Mixed },
    createdAt: { type: Date, required: true },
  },
  { collection: 'idempotency', versionKey: false, minimize: false },
);

export function idempotencyModel(conn: Connection) {
  return conn.model('IdempotentResponse', idempotencySchema);
}
