import { Schema, type Connection } from 'mongoose';

/**
 * A webhook subscription of one organisation (api/webhooks/endpoints.ts): where its
 * notifications are POSTed and the secret they are signed with. The secret is kept as it
 * is because the worker must sign with it (a hash could only verify); it is shown once,
 * when created or rotated, and never read out again. The organisation's record lists its
 * subscriptions' IDs (`Org.webhookSubscriptionIds`), so a notification finds them by `_id`.
 */
export const webhookSubscriptionSchema = new Schema(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    url: { type: String, required: true },
    /** Event kinds delivered; empty: every kind. */
    events: { type: [String], default: [] },
    description: { type: String },
    active: { type: Boolean, default: true },
    secret: { type: String, required: true },
    secretRotatedAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
  },
  { collection: 'webhook_subscriptions', versionKey: false, timestamps: true },
);

export interface WebhookSubscription {
  _id: string;
  orgId: string;
  url: string;
  events: string[];
  description?: string;
  active: boolean;
  secret: string;
  secretRotatedAt: Date;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export function webhookSubscriptionModel(conn: Connection) {
  return conn.model('WebhookSubscription', webhookSubscriptionSchema);
}
