/**
 * Notifications reach an organisation's webhook, signed with HMAC-SHA256 over the body,
 * from the real worker on the dev server; failures are retried or given up by kind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { devServerClient, startDevServerWorker, testModels, uniqueId, type RunningWorker } from '../support/services.js';
import { allWorkflowsPath, identity, inDays, loadTree, reportTask, tree } from '../support/fixtures.js';
import { singleTaskProcess } from '../fixtures/single-task-workflow.js';
import { postWebhook } from '../../activities/notify.js';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe('webhook notifications', () => {
  let db: Awaited<ReturnType<typeof testModels>>;
  let temporal: Awaited<ReturnType<typeof devServerClient>>;
  let worker: RunningWorker;
  let receiver: Server;
  let url: string;
  const received: Received[] = [];
  let answer = 200;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.statusCode = answer;
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    db = await testModels();
    await loadTree(db.models);
    await db.models.Org.updateOne({ _id: tree.townA._id }, { $set: { webhookUrl: url } });
    temporal = await devServerClient();
    worker = await startDevServerWorker(db.models, { workflowsPath: allWorkflowsPath });
  });
  afterAll(async () => {
    await worker?.stop();
    await temporal?.close();
    await db?.close();
    await new Promise((r) => receiver?.close(r));
  });

  it('when a task opens for an organisation with a webhook, then the webhook gets a signed notice', async () => {
    const processId = uniqueId('hooked');
    await temporal.client.workflow.start(singleTaskProcess, {
      taskQueue: worker.taskQueue,
      workflowId: processId,
      args: [{ identity: identity({ searchAttributes: false }), spec: reportTask(inDays(10)) }],
    });
    for (let i = 0; i < 100 && !received.some((r) => r.body.includes(processId)); i++) await new Promise((r) => setTimeout(r, 100));
    const delivery = received.find((r) => r.body.includes(processId));
    expect(delivery).toBeDefined();
    const payload = JSON.parse(delivery!.body);
    expect(payload).toMatchObject({ orgId: tree.townA._id, kind: 'task.opened', processId });
    const expected = createHmac('sha256', 'test-webhook-secret').update(delivery!.body).digest('hex');
    expect(delivery!.headers['x-signature']).toBe(`sha256=${expected}`);
    expect(delivery!.headers['x-delivery-id']).toContain(processId);
  });

  it('when the receiver answers 503, then the delivery fails retryably; when it answers 400, then it gives up for good', async () => {
    const delivery = { deliveryId: 'd1', url, payload: { hello: 'world' } };
    answer = 503;
    const retryable = await postWebhook('s', delivery).catch((e: unknown) => e);
    expect(retryable).toBeInstanceOf(Error);
    expect(retryable).not.toBeInstanceOf(ApplicationFailure);
    answer = 400;
    const final = await postWebhook('s', delivery).catch((e: unknown) => e);
    expect(final).toBeInstanceOf(ApplicationFailure);
    expect((final as ApplicationFailure).nonRetryable).toBe(true);
    answer = 200;
    await expect(postWebhook('s', delivery)).resolves.toBeUndefined();
  });
});
