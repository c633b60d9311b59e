/** Named timeout and retry presets for the activities workflows call. */
import { patched, proxyActivities, proxyLocalActivities, type ActivityOptions, type LocalActivityOptions } from '@temporalio/workflow';
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

/** The same writes as local activities: retried in the worker for 10 s, then with timers, up to the same day. */
const localDatabaseWrite: LocalActivityOptions = { ...databaseWrite, localRetryThreshold: '10 seconds' };

/** The patch that moved database writes to local activities (see `db`). */
export const LOCAL_DB_WRITES = 'local-db-writes';

const remoteDb = proxyActivities<Activities>(databaseWrite);
const localDb = proxyLocalActivities<Activities>(localDatabaseWrite);

/**
 * The database writes of a workflow (records, audit, notifications, summaries) run as local
 * activities: in the worker that runs the workflow task, recorded as a marker, with no task
 * queue round trip and no further workflow task. A step of a process (an update, then the
 * next task opened, its notice and the summary) then costs the Temporal server one workflow
 * task instead of some five activity round trips, which on the dev server was what held
 * every start and step back (docs/decisions.md, "The core path"). They are idempotent, as
 * local activities must be (a workflow task that fails runs them again).
 * Except `openTask`: the inbox record is what lets somebody complete the task, so it is written
 * only once the workflow task that opened the task is in the history (a local activity runs
 * before its workflow task commits; a worker dying in between would leave a task in the inbox
 * that a new worker, replaying, has not opened yet when the completion comes, and refuses).
 * Workflows whose histories were recorded with scheduled activities replay them as such:
 * `patched` is false when replaying a history written before this change.
 */
export const db: typeof remoteDb = new Proxy(remoteDb, {
  get: (_target, name: string) => (name !== 'openTask' && patched(LOCAL_DB_WRITES) ? localDb : remoteDb)[name as keyof typeof remoteDb],
});
export const webhooks = proxyActivities<Pick<Activities, 'deliverWebhook'>>(webhookDelivery);
