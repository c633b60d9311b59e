/**
 * Test access to the real servers started by global-setup: a database of its own per
 * test file, Temporal clients, workers on unique task queues, and time-skipping
 * environments from the installed test-server binary.
 */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, type Worker, type WorkerOptions } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { connectDb } from '../../models/db.js';
import { createModels, syncIndexes, type Models } from '../../models/index.js';
import { createWorker } from '../../worker/create-worker.js';

export const uniqueId = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A fresh database (unique name) on the test MongoDB server, with indexes built. */
export async function testModels(): Promise<{ models: Models; close(): Promise<void> }> {
  const uri = new URL(inject('mongoUri'));
  uri.pathname = `/${uniqueId('test').replace(/-/g, '_')}`;
  const conn = await connectDb(uri.toString());
  const models = createModels(conn);
  await syncIndexes(models);
  return {
    models,
    async close() {
      await conn.dropDatabase().catch(() => undefined);
      await conn.close();
    },
  };
}

export async function devServerClient(): Promise<{ client: Client; close(): Promise<void> }> {
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  return { client: new Client({ connection }), close: () => connection.close() };
}

export interface RunningWorker {
  worker: Worker;
  taskQueue: string;
  stop(): Promise<void>;
}

/** Starts the service's worker (real activities) against the dev server on a unique task queue. */
export async function startDevServerWorker(models: Models, overrides?: Partial<WorkerOptions>): Promise<RunningWorker> {
  const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const taskQueue = uniqueId('tq');
  const worker = await createWorker({ connection, namespace: 'default', taskQueue, models, overrides });
  const running = worker.run();
  return {
    worker,
    taskQueue,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

export function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('timeSkippingServerPath') } },
  });
}

/** A logger for bundleWorkflowCode that keeps webpack's report out of the test output. */
export const quietBundler = new DefaultLogger('WARN');

/**
 * Polls `read` until `done` holds (an activity writes after the workflow moved on, so
 * a test reads eventually-written records this way), then returns the last value.
 */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}
