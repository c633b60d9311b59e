import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { timeSkippingEnv, uniqueId } from '../support/services.js';
import { longSleep } from '../fixtures/probe-workflows.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('harness: the time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await timeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('when a workflow sleeps 90 days, then it wakes 90 days later in workflow time within seconds of wall time', async () => {
    const taskQueue = uniqueId('tq');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: fileURLToPath(new URL('../fixtures/probe-workflows.ts', import.meta.url)),
      activities: {},
    });
    const wallStart = Date.now();
    const result = await worker.runUntil(
      env.client.workflow.execute(longSleep, { args: [90], taskQueue, workflowId: uniqueId('sleep') }),
    );
    expect(result.wokeAt - result.startedAt).toBeGreaterThanOrEqual(90 * DAY_MS);
    expect(Date.now() - wallStart).toBeLessThan(30_000);
  });
});
