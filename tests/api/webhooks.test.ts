/**
 * Webhook subscriptions (issue 12): managed through the API by administrators, each with its
 * own signing secret (shown once, rotatable, never AUTH_SECRET); notifications reach the
 * subscribed URL from the real worker on the dev server, signed with HMAC-SHA256 over
 * `<timestamp>.<body>`; failures are retried or given up by kind; the OpenAPI document
 * describes the events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { devServerClient, startDevServerWorker, testModels, uniqueId, type RunningWorker } from '../support/services.js';
import { allWorkflowsPath, identity, inDays, loadTree, reportTask, tree } from '../support/fixtures.js';
import { startTestApi, TEST_AUTH_SECRET, type TestApi } from '../support/app.js';
import { singleTaskProcess } from '../fixtures/single-task-workflow.js';
import { postWebhook } from '../../activities/notify.js';

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** What docs/webhooks.md tells a receiver to do. */
function verifies(secret: string, received: Received): boolean {
  const timestamp = String(received.headers['x-webhook-timestamp']);
  const expected = createHmac('sha256', secret).update(`${timestamp}.${received.body}`).digest('hex');
  const given = String(received.headers['x-webhook-signature']).replace(/^v1=/, '');
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

describe('webhook subscriptions', () => {
  let db: Awaited<ReturnType<typeof testModels>>;
  let temporal: Awaited<ReturnType<typeof devServerClient>>;
  let worker: RunningWorker;
  let api: TestApi;
  let receiver: Server;
  let base: string;
  const received: Received[] = [];
  let answer = 200;
  let admin: string;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', headers: req.headers, body });
        res.statusCode = answer;
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    db = await testModels();
    await loadTree(db.models);
    temporal = await devServerClient();
    worker = await startDevServerWorker(db.models, { workflowsPath: allWorkflowsPath });
    api = await startTestApi({ temporal: temporal.client, models: db.models, taskQueue: worker.taskQueue });
    admin = api.token({ sub: 'admin-1', role: 'admin', orgId: tree.cityPc._id });
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await worker?.stop();
    await temporal?.close();
    await db?.close();
    await new Promise((r) => receiver?.close(r));
  });

  const subscribe = (body: Record<string, unknown>, token = admin) => api.request('POST', '/api/v1/webhooks', { token, body });

  async function openTaskFor(): Promise<string> {
    const processId = uniqueId('hooked');
    await temporal.client.workflow.start(singleTaskProcess, {
      taskQueue: worker.taskQueue,
      workflowId: processId,
      args: [{ identity: identity({ searchAttributes: false }), spec: reportTask(inDays(10)) }],
    });
    return processId;
  }

  async function deliveryOf(processId: string, path: string): Promise<Received> {
    for (let i = 0; i < 150; i++) {
      const hit = received.find((r) => r.path === path && r.body.includes(processId));
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no delivery of ${processId} to ${path}`);
  }

  it('when an admin subscribes a URL, then the answer shows the secret once; reads never show it; the audit records no secret', async () => {
    const res = await subscribe({ orgId: tree.townA._id, url: `${base}/hook/once`, description: 'town A OA system' });
    expect(res.status).toBe(201);
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(res.body.subscription).toMatchObject({ orgId: tree.townA._id, url: `${base}/hook/once`, events: [], active: true, createdBy: 'admin-1' });
    const id = res.body.subscription.id as string;
    const one = await api.request('GET', `/api/v1/webhooks/${id}`, { token: admin });
    const list = await api.request('GET', `/api/v1/webhooks?orgId=${tree.townA._id}`, { token: admin });
    expect(JSON.stringify([one.body, list.body])).not.toContain(res.body.secret);
    expect(list.body.items.map((s: { id: string }) => s.id)).toContain(id);
    const audit = await db.models.AuditEntry.find({ 'target.id': id }).lean();
    expect(audit.map((e) => e.action)).toEqual(['webhook.create']);
    expect(JSON.stringify(audit)).not.toContain(res.body.secret);
    expect((await api.request('DELETE', `/api/v1/webhooks/${id}`, { token: admin })).status).toBe(200);
  });

  it('when a non-admin, an unknown organisation, a bad URL or an unknown event is sent, then 403 / 422 / 400 and nothing is stored', async () => {
    const before = await db.models.WebhookSubscription.countDocuments();
    const unit = api.token({ sub: 'u-town-a', role: 'unit', orgId: tree.townA._id });
    expect((await subscribe({ orgId: tree.townA._id, url: `${base}/x` }, unit)).status).toBe(403);
    expect((await api.request('GET', '/api/v1/webhooks', { token: unit })).status).toBe(403);
    expect((await subscribe({ orgId: 'no-such-org', url: `${base}/x` })).status).toBe(422);
    expect((await subscribe({ orgId: tree.townA._id, url: 'ftp://example.org/x' })).status).toBe(400);
    expect((await subscribe({ orgId: tree.townA._id, url: `${base}/x`, events: ['task.deleted'] })).status).toBe(400);
    // Webhooks are no longer set on an organisation.
    const org = await api.request('POST', '/api/v1/orgs', { token: admin, body: { kind: 'pc', name: 'Town C', nameZh: '丙镇党委', parentId: tree.cityPc._id, webhookUrl: `${base}/x` } });
    expect(org.status).toBe(400);
    expect(await db.models.WebhookSubscription.countDocuments()).toBe(before);
  });

  it('when a task opens for a subscribed organisation, then the URL gets the notice signed with the subscription\'s secret, not AUTH_SECRET; after a rotation, with the new secret only', async () => {
    const created = await subscribe({ orgId: tree.townA._id, url: `${base}/hook/signed` });
    const id = created.body.subscription.id as string;
    const secret = created.body.secret as string;

    const processId = await openTaskFor();
    const delivery = await deliveryOf(processId, '/hook/signed');
    const payload = JSON.parse(delivery.body);
    expect(payload).toMatchObject({ orgId: tree.townA._id, kind: 'task.opened', processId, subscriptionId: id, id: delivery.headers['x-webhook-id'] });
    expect(Math.abs(Number(delivery.headers['x-webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(verifies(secret, delivery)).toBe(true);
    expect(verifies(TEST_AUTH_SECRET, delivery)).toBe(false);
    expect(verifies('test-webhook-secret', delivery)).toBe(false);

    const rotated = await api.request('POST', `/api/v1/webhooks/${id}/secret`, { token: admin });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(secret);
    const next = await deliveryOf(await openTaskFor(), '/hook/signed');
    expect(verifies(rotated.body.secret, next)).toBe(true);
    expect(verifies(secret, next)).toBe(false);
    expect((await api.request('DELETE', `/api/v1/webhooks/${id}`, { token: admin })).status).toBe(200);
  });

  it('when a subscription takes only some events, is turned off or deleted, then it gets only what it asked for, and nothing once off or gone', async () => {
    const all = await subscribe({ orgId: tree.townA._id, url: `${base}/hook/all` });
    const overdueOnly = await subscribe({ orgId: tree.townA._id, url: `${base}/hook/overdue-only`, events: ['task.overdue'] });
    const first = await openTaskFor();
    await deliveryOf(first, '/hook/all');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(received.some((r) => r.path === '/hook/overdue-only')).toBe(false);

    const changed = await api.request('PATCH', `/api/v1/webhooks/${overdueOnly.body.subscription.id}`, { token: admin, body: { events: [], url: `${base}/hook/widened` } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ events: [], url: `${base}/hook/widened` });
    const off = await api.request('PATCH', `/api/v1/webhooks/${all.body.subscription.id}`, { token: admin, body: { active: false } });
    expect(off.body.active).toBe(false);
    const second = await openTaskFor();
    await deliveryOf(second, '/hook/widened');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(received.some((r) => r.path === '/hook/all' && r.body.includes(second))).toBe(false);

    const id = overdueOnly.body.subscription.id as string;
    expect((await api.request('DELETE', `/api/v1/webhooks/${id}`, { token: admin })).status).toBe(200);
    expect((await api.request('GET', `/api/v1/webhooks/${id}`, { token: admin })).status).toBe(404);
    const org = await db.models.Org.findById(tree.townA._id).lean<{ webhookSubscriptionIds?: string[] }>();
    expect(org?.webhookSubscriptionIds ?? []).not.toContain(id);
    const third = await openTaskFor();
    await new Promise((r) => setTimeout(r, 2_000));
    expect(received.some((r) => ['/hook/all', '/hook/widened'].includes(r.path) && r.body.includes(third))).toBe(false);
  });

  it('when the receiver answers 503, then the delivery fails retryably; when it answers 400, then it gives up for good', async () => {
    const created = await subscribe({ orgId: tree.townB._id, url: `${base}/hook/retry` });
    const subscriptionId = created.body.subscription.id as string;
    const payload = { id: 'd1', kind: 'task.opened' as const, subscriptionId, orgId: tree.townB._id, title: 't', body: '', at: new Date().toISOString() };
    const delivery = { deliveryId: 'd1', subscriptionId, payload };
    answer = 503;
    const retryable = await postWebhook(db.models, delivery).catch((e: unknown) => e);
    expect(retryable).toBeInstanceOf(Error);
    expect(retryable).not.toBeInstanceOf(ApplicationFailure);
    answer = 400;
    const final = await postWebhook(db.models, delivery).catch((e: unknown) => e);
    expect(final).toBeInstanceOf(ApplicationFailure);
    expect((final as ApplicationFailure).nonRetryable).toBe(true);
    answer = 200;
    await expect(postWebhook(db.models, delivery)).resolves.toBeUndefined();
    // A delivery scheduled before subscriptions (an organisation's URL, meant for AUTH_SECRET) is dropped, not sent.
    const before = received.length;
    await expect(postWebhook(db.models, { deliveryId: 'old-1', url: `${base}/hook/legacy`, payload: { hello: 'world' } })).resolves.toBeUndefined();
    expect(received.length).toBe(before);
  });

  it('when the OpenAPI document is read, then its webhooks describe every event with the payload and the signature headers', async () => {
    const doc = await api.request('GET', '/api/v1/openapi.json', { token: admin });
    const hooks = doc.body.webhooks as Record<string, { post: { parameters: Array<{ name: string }>; requestBody: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } } }>;
    expect(Object.keys(hooks)).toEqual(expect.arrayContaining(['task.opened', 'task.reminder', 'task.overdue', 'task.escalation.proposeInterview']));
    const opened = hooks['task.opened']!.post;
    expect(opened.parameters.map((p) => p.name)).toEqual(['X-Webhook-Id', 'X-Webhook-Timestamp', 'X-Webhook-Signature']);
    expect(Object.keys(opened.requestBody.content['application/json']!.schema.properties)).toEqual(expect.arrayContaining(['id', 'kind', 'orgId', 'processId', 'taskId', 'at']));
    expect(doc.body.paths['/api/v1/webhooks'].post).toBeDefined();
  });
});
