/**
 * On a real MongoDB (run the tests with TEST_MONGODB_URI), every query the service makes
 * while starting, completing and listing work is served by an index: the plan MongoDB
 * chooses has no collection scan. FerretDB 1.24, the embedded default, has no such plans
 * (it answers only `_id` lookups from an index, which is why the hot path addresses records
 * by `_id`: docs/decisions.md, "The core path"); there this file has nothing to check.
 *
 * Full reads that are full by design are not listed: the process index's and the
 * directory's loads (once per process, and after a bulk write or an edit).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Query } from 'mongoose';
import { testModels } from '../support/services.js';

/** Every `stage` named anywhere in an explain answer (classic and slot-based plans nest differently). */
function stagesOf(plan: unknown, into: string[] = []): string[] {
  if (Array.isArray(plan)) for (const p of plan) stagesOf(p, into);
  else if (plan && typeof plan === 'object') {
    for (const [key, value] of Object.entries(plan)) {
      if (key === 'stage' && typeof value === 'string') into.push(value);
      else stagesOf(value, into);
    }
  }
  return into;
}

describe.runIf(process.env.TEST_MONGODB_URI)('on a real MongoDB, the hot queries are served by declared indexes', () => {
  let db: Awaited<ReturnType<typeof testModels>>;

  beforeAll(async () => {
    db = await testModels();
    const { models } = db;
    // A few records, so the planner has something to choose between.
    await models.Task.collection.insertMany(
      Array.from({ length: 20 }, (_, i) => ({
        _id: `p${i}:planTask:1`,
        processId: `p${i}`,
        orgId: `org${i % 3}`,
        orgPath: ['root', `org${i % 3}`],
        status: 'open',
        dueAt: new Date(2027, 0, i + 1),
      })) as never,
    );
  });

  afterAll(async () => {
    await db?.close();
  });

  /** [what, where the service makes it, the query]. */
  const hotQueries = (): Array<[string, string, Query<unknown, unknown>]> => {
    const m = db.models;
    return [
      ['a task by _id', 'inbox page rows, GET/complete a task, every task write (activities/tasks.ts)', m.Task.findOne({ _id: 'p1:planTask:1' })],
      ['a process summary by _id', 'summary writes (activities/processes.ts), the index following the log', m.ProcessSummary.findOne({ _id: 'p1' })],
      ['an audit entry by _id', 'every audit append (activities/audit.ts)', m.AuditEntry.findOne({ _id: 'p1:started' })],
      ['a change-log slot by _id', 'every record write and every read of the index (read-model/change-log.ts)', m.ReadModelChange.findOne({ _id: '0.17' })],
      ['an organisation by _id', 'its webhook subscriptions for a notification (activities/notify.ts), search scopes', m.Org.findOne({ _id: 'org1' })],
      ['a notification by _id', 'every notification write (activities/notify.ts)', m.Notification.findOne({ _id: 'p1:planTask:1:opened:org1' })],
      ['an idempotency claim or answer by _id', 'every request with an Idempotency-Key (api/http/idempotency.ts)', m.IdempotentResponse.findOne({ _id: 'a3f1c2' })],
      ['a webhook subscription by _id', 'every notification of a subscribed organisation and every delivery (activities/notify.ts)', m.WebhookSubscription.findOne({ _id: 'whs_1' })],
      ['a process\'s history', 'GET /api/v1/processes/{id}/history', m.AuditEntry.find({ processId: 'p1' }).sort({ at: 1, _id: 1 })],
      ['whether a unit has a task in a process', 'GET /api/v1/processes/{id} as a unit', m.Task.findOne({ processId: 'p1', orgId: 'org1' })],
      ['a process\'s tasks', 'the diagram when the workflow cannot answer', m.Task.find({ processId: 'p1' })],
      ['an organisation\'s notifications, newest first', 'GET /api/v1/notifications', m.Notification.find({ orgId: 'org1' }).sort({ createdAt: -1, _id: 1 })],
    ] as Array<[string, string, Query<unknown, unknown>]>;
  };

  it('when each hot query is explained, then no plan scans its collection', async () => {
    const scans: string[] = [];
    for (const [what, where, query] of hotQueries()) {
      const plan = await query.explain('queryPlanner');
      const stages = stagesOf(plan);
      expect(stages.length, `${what}: no plan in the explain answer`).toBeGreaterThan(0);
      if (stages.includes('COLLSCAN')) scans.push(`${what} (${where}): ${stages.join(' > ')}`);
    }
    expect(scans).toEqual([]);
  });
});
