/**
 * A time-skipping test server with the service's real activities writing to a fresh
 * test database (the small org tree loaded), the workflows bundled once per file, and a
 * new worker per `runUntil` (a worker runs once: runUntil shuts it down).
 */
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities/index.js';
import type { Models } from '../../models/index.js';
import { addDays, localDateOf, type LocalDate } from '../../domain/calendar.js';
import { quietBundler, testModels, timeSkippingEnv, uniqueId } from './services.js';
import { allWorkflowsPath, loadTree } from './fixtures.js';

export interface TimeSkippingHarness {
  env: TestWorkflowEnvironment;
  models: Models;
  taskQueue: string;
  /** Runs `fn` with a fresh worker polling `taskQueue`. */
  runUntil<R>(fn: () => Promise<R>): Promise<R>;
  /** The test server's "today" plus `days`: its clock moves on as tests skip time. */
  serverDay(days?: number): Promise<LocalDate>;
  close(): Promise<void>;
}

export async function startTimeSkipping(): Promise<TimeSkippingHarness> {
  const [env, db, bundle] = await Promise.all([timeSkippingEnv(), testModels(), bundleWorkflowCode({ workflowsPath: allWorkflowsPath, logger: quietBundler })]);
  await loadTree(db.models);
  const taskQueue = uniqueId('tq');
  return {
    env,
    models: db.models,
    taskQueue,
    async runUntil(fn) {
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: bundle,
        activities: createActivities({ models: db.models }),
      });
      return worker.runUntil(fn);
    },
    serverDay: async (days = 0) => addDays(localDateOf(await env.currentTimeMs()), days),
    async close() {
      await env.teardown();
      await db.close();
    },
  };
}
