/** Named timeout and retry presets for the activities workflows call. */
import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';

/** Database writes: short, retried with backoff for as long as the database is down (up to a day). */
export const databaseWrite: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
};

/** Webhook deliveries: a remote system may be down for a while; give up after ten tries. */
export const webhookDelivery: ActivityOptions = {
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 3, maximumInterval: '1 hour', maximumAttempts: 10, nonRetryableErrorTypes: ['WebhookRefused'] },
};

export const db = proxyActivities<Activities>(databaseWrite);
export const webhooks = proxyActivities<Pick<Activities, 'deliverWebhook'>>(webhookDelivery);
