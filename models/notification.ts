import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/** In-app notifications, one list per organisation; `_id` = notification ID + org, so retries add one. */
export const notificationSchema = new Schema(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true, index: true },
    kind: { type: String, required: true },
    title: { type: String, required: true },
    body: { type: String, default: '' },
    processId: { type: String },
    taskId: { type: String },
    createdAt: { type: Date, required: true, index: true },
    readAt: { type: Date },
  },
  { collection: 'notifications', versionKey: false },
);

export type NotificationRecord = InferSchemaType<typeof notificationSchema> & { _id: string };

export function notificationModel(conn: Connection) {
  return conn.model('Notification', notificationSchema);
}
