import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { devServerClient, startDevServerWorker, testModels, uniqueId, type RunningWorker } from '../support/services.js';
import type { Models } from '../../models/index.js';
import { auditProbe } from '../fixtures/probe-workflows.js';
import type { Client } from '@temporalio/client';

const probeWorkflowsPath = fileURLToPath(new URL('../fixtures/probe-workflows.ts', import.meta.url));

describe('harness: a real worker on the Temporal dev server writing through mongoose', () => {
  let db: Awaited<ReturnType<typeof testModels>>;
  let models: Models;
  let temporal: Awaited<ReturnType<typeof devServerClient>>;
  let client: Client;
  let worker: RunningWorker;

  beforeAll(async () => {
    db = await testModels();
    models = db.models;
    temporal = await devServerClient();
    client = temporal.client;
    worker = await startDevServerWorker(models, { workflowsPath: probeWorkflowsPath });
  });
  afterAll(async () => {
    await worker?.stop();
    await temporal?.close();
    await db?.close();
  });

  it('when a workflow runs its activity, then the activity write is readable from MongoDB', async () => {
    const marker = uniqueId('marker');
    const workflowId = await client.workflow.execute(auditProbe, {
      args: [marker],
      taskQueue: worker.taskQueue,
      workflowId: uniqueId('probe'),
    });
    const entry = await models.AuditEntry.findOne({ entryId: `${workflowId}:probe` }).lean();
    expect(entry?.target).toEqual({ kind: 'probe', id: marker });
    expect(entry?.action).toBe('harness.probe');
  });
});
