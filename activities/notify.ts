import { createHmac } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { Models } from '../models/index.js';
import type { WebhookSubscription } from '../models/webhook-subscription.js';
import { WEBHOOK_HEADERS, type WebhookPayload } from '../domain/webhooks.js';

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
  /** Whose URL and secret; read when delivering, so a rotated secret or a changed URL applies to retries too. */
  subscriptionId: string;
  payload: WebhookPayload;
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
  // `_id` lookups only (an organisation, then each of its subscriptions): FerretDB reads a
  // whole collection for any other filter. A notification names one to three organisations.
  const orgs = await Promise.all(orgIds.map((id) => models.Org.findById(id, { webhookSubscriptionIds: 1 }).lean<{ _id: string; webhookSubscriptionIds?: string[] }>()));
  const subscriptionIds = orgs.flatMap((org) => org?.webhookSubscriptionIds ?? []);
  const subscriptions = await Promise.all(subscriptionIds.map((id) => models.WebhookSubscription.findById(id).lean<WebhookSubscription>()));
  return subscriptions
    .filter((sub): sub is WebhookSubscription => sub !== null && wants(sub, input.kind))
    .map((sub) => {
      const deliveryId = `${input.notificationId}:${sub.orgId}:${sub._id}`;
      return {
        deliveryId,
        subscriptionId: sub._id,
        payload: {
          id: deliveryId,
          kind: input.kind as WebhookPayload['kind'],
          subscriptionId: sub._id,
          orgId: sub.orgId,
          title: input.title,
          body: input.body ?? '',
          ...(input.processId ? { processId: input.processId } : {}),
          ...(input.taskId ? { taskId: input.taskId } : {}),
          at: input.at,
        },
      };
    });
}

/** An active subscription that takes every event (none listed) or this one. */
function wants(sub: Pick<WebhookSubscription, 'active' | 'events'>, kind: string): boolean {
  return sub.active && (sub.events.length === 0 || sub.events.includes(kind));
}

/** The signature of a delivery: HMAC-SHA256 with the subscription's secret over `${timestamp}.${body}`, hex. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * POSTs a notification to a subscription's URL, signed with the subscription's secret (never
 * AUTH_SECRET). Each attempt is signed afresh with the time it is sent. A subscription deleted
 * or turned off since is not delivered to.
 */
export async function postWebhook(models: Models, delivery: WebhookDelivery | LegacyDelivery): Promise<void> {
  if (!('subscriptionId' in delivery)) {
    // Scheduled before subscriptions had secrets of their own: it would have been signed with AUTH_SECRET.
    console.warn(`webhook delivery ${delivery.deliveryId} dropped: it names no subscription`);
    return;
  }
  const sub = await models.WebhookSubscription.findById(delivery.subscriptionId).lean<WebhookSubscription>();
  if (!sub || !wants(sub, delivery.payload.kind)) return;
  const body = JSON.stringify(delivery.payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  let res: Response;
  try {
    res = await fetch(sub.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [WEBHOOK_HEADERS.id]: delivery.deliveryId,
        [WEBHOOK_HEADERS.timestamp]: timestamp,
        [WEBHOOK_HEADERS.signature]: `v1=${signWebhook(sub.secret, timestamp, body)}`,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    throw new Error(`webhook ${sub._id} unreachable: ${err instanceof Error ? err.message : String(err)}`);
  }
  // A 4xx other than 408/429 will not get better by retrying, nor a redirect (not followed: the URL is the one an admin set).
  if (res.status >= 300 && res.status < 500 && res.status !== 408 && res.status !== 429) {
    throw ApplicationFailure.nonRetryable(`webhook ${sub._id} refused with ${res.status}`, 'WebhookRefused');
  }
  if (!res.ok) throw new Error(`webhook ${sub._id} answered ${res.status}`);
}

/** A delivery scheduled by a worker before subscriptions (an organisation's URL, signed with AUTH_SECRET). */
interface LegacyDelivery {
  deliveryId: string;
  url: string;
  payload: Record<string, unknown>;
}
