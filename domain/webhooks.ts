/**
 * What a webhook subscription receives (docs/webhooks.md): one POST per notification of the
 * subscribed organisation, signed with the subscription's own secret. The event kinds are
 * the notifications' kinds (workflows/lib/process-runtime.ts). Pure.
 */
import { z } from 'zod';
import { EscalationAction } from './escalation.js';

export const WEBHOOK_EVENTS = {
  'task.opened': 'a task was opened for the organisation (its inbox)',
  'task.reminder': 'a task of the organisation is due soon',
  'task.overdue': 'a task is overdue (to its organisation and to the DICs it escalates to)',
  ...(Object.fromEntries(
    EscalationAction.options.map((action) => [`task.escalation.${action}`, `an overdue task was escalated: ${action}`]),
  ) as Record<`task.escalation.${EscalationAction}`, string>),
} as const;

export type WebhookEvent = keyof typeof WEBHOOK_EVENTS;
export const WebhookEvent = z.enum(Object.keys(WEBHOOK_EVENTS) as [WebhookEvent, ...WebhookEvent[]]);

/** The headers of a delivery; the signature is HMAC-SHA256 over `${timestamp}.${body}`. */
export const WEBHOOK_HEADERS = {
  id: 'X-Webhook-Id',
  timestamp: 'X-Webhook-Timestamp',
  signature: 'X-Webhook-Signature',
} as const;

export const WebhookPayload = z.object({
  id: z.string().describe('the delivery\'s ID, the same on every retry: a receiver drops one it has seen'),
  kind: WebhookEvent.describe('the event'),
  subscriptionId: z.string(),
  orgId: z.string().describe('the organisation the notification is for'),
  title: z.string().describe('the notification\'s title (Chinese and English)'),
  body: z.string(),
  processId: z.string().optional(),
  taskId: z.string().optional(),
  at: z.string().describe('when it happened (ISO instant)'),
});
export type WebhookPayload = z.infer<typeof WebhookPayload>;
