import { createHmac } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { Models } from '../models/index.js';

export interface NotifyInput {
  /** Stable per event; each org gets one notification however often this is retried. */
  notificationId: string;
  orgIds: string[];
  kind: string;
  title: string;
  body?: string;
  processId?: string;
  taskId?: string;
  at: string;
}

export interface WebhookDelivery {
  deliveryId: string;
  url: string;
  payload: Record<string, unknown>;
}

/** Writes the in-app notifications and returns the webhooks to deliver (each its own activity, retried apart). */
export async function writeNotifications(models: Models, input: NotifyInput): Promise<WebhookDelivery[]> {
  const orgIds = [...new Set(input.orgIds)];
  for (const orgId of orgIds) {
    await models.Notification.updateOne(
      { _id: `${input.notificationId}:${orgId}` },
      {
        $setOnInsert: {
          orgId,
          kind: input.kind,
          title: input.title,
          body: input.body ?? '',
          processId: input.processId,
          taskId: input.taskId,
          createdAt: new Date(input.at),
        },
      },
      { upsert: true },
    );
  }
  // One `_id` lookup per organisation (a notification names one to three): FerretDB reads a
  // whole collection for any other filter.
  const orgs = await Promise.all(orgIds.map((id) => models.Org.findById(id, { webhookUrl: 1 }).lean<{ _id: string; webhookUrl?: string }>()));
  const hooks = orgs.filter((org): org is { _id: string; webhookUrl: string } => Boolean(org?.webhookUrl));
  return hooks.map((org) => ({
    deliveryId: `${input.notificationId}:${org._id}`,
    url: org.webhookUrl,
    payload: { orgId: org._id, kind: input.kind, title: input.title, body: input.body ?? '', processId: input.processId, taskId: input.taskId, at: input.at },
  }));
}

/** POSTs a notification to an organisation's webhook, signed with HMAC-SHA256 over the body. */
export async function postWebhook(secret: string, delivery: WebhookDelivery): Promise<void> {
  const body = JSON.stringify(delivery.payload);
  const signature = createHmac('sha256', secret).update(body).digest('hex');
  let res: Response;
  try {
    res = await fetch(delivery.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-delivery-id': delivery.deliveryId, 'x-signature': `sha256=${signature}` },
      body,
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    throw new Error(`webhook ${delivery.url} unreachable: ${err instanceof Error ? err.message : String(err)}`);
  }
  // A 4xx other than 408/429 will not get better by retrying.
  if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
    throw ApplicationFailure.nonRetryable(`webhook ${delivery.url} refused with ${res.status}`, 'WebhookRefused');
  }
  if (!res.ok) throw new Error(`webhook ${delivery.url} answered ${res.status}`);
}
