import { Schema, type Connection } from 'mongoose';

/**
 * One entry of the read-model change log (read-model/change-log.ts): "this process summary
 * or task record changed", or "reload everything" after a bulk write. The `_id` is the
 * entry's place in the log, `"<epoch>.<n>"`: slots are claimed by inserting, so the unique
 * `_id` makes two writers never share a slot, and every read is an `_id` lookup, which every
 * MongoDB-protocol server answers from its primary key. One more document,
 * `{ _id: "current-epoch", current: <epoch> }`, names the epoch being written.
 */
export const readModelChangeSchema = new Schema(
  {
    _id: { type: String, required: true },
    epoch: { type: Number, required: true },
    kind: { type: String, enum: ['summary', 'task', 'reload'], required: true },
    id: { type: String },
    at: { type: Date, required: true },
  },
  { collection: 'read_model_changes', versionKey: false },
);

export interface ReadModelChange {
  _id: string;
  epoch: number;
  kind: 'summary' | 'task' | 'reload';
  id?: string;
  at: Date;
}

export function readModelChangeModel(conn: Connection) {
  return conn.model('ReadModelChange', readModelChangeSchema);
}
