import { Schema, type Connection } from 'mongoose';

/** The first answer to a POST with an Idempotency-Key, replayed for a repeat of the same key. */
export const idempotencySchema = new Schema(
  {
    _id: { type: String, required: true },
    status: { type: Number, required: true },
    body: { type: Schema.Types.Mixed },
    createdAt: { type: Date, required: true },
  },
  { collection: 'idempotency', versionKey: false },
);

export function idempotencyModel(conn: Connection) {
  return conn.model('IdempotentResponse', idempotencySchema);
}
