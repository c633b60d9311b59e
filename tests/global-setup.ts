/**
 * Starts the real servers the tests talk to, once per run, on free ports, with
 * throwaway data: a Temporal dev server (in memory, the service's search attributes
 * registered) and FerretDB (SQLite in a temp dir), unless TEST_MONGODB_URI points at a
 * MongoDB to use. The time-skipping test server is started per test file from the
 * binary path provided here (TestWorkflowEnvironment needs an existing executable).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, startFerretDb, startTemporalDevServer, tools, type RunningService } from '../scripts/lib/services.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    mongoUri: string;
    timeSkippingServerPath: string;
  }
}

export default async function setup(project: TestProject) {
  const services: RunningService[] = [];
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tr-test-'));
  const temporalPort = await freePort();
  services.push(await startTemporalDevServer({ port: temporalPort, uiPort: await freePort(), output: 'ignore' }));
  project.provide('temporalAddress', `127.0.0.1:${temporalPort}`);

  if (process.env.TEST_MONGODB_URI) {
    project.provide('mongoUri', process.env.TEST_MONGODB_URI);
  } else {
    const mongoPort = await freePort();
    services.push(await startFerretDb({ port: mongoPort, dir: path.join(dataDir, 'ferretdb'), output: 'ignore' }));
    project.provide('mongoUri', `mongodb://127.0.0.1:${mongoPort}/`);
  }
  project.provide('timeSkippingServerPath', tools.temporalTestServer);

  return async () => {
    for (const service of services.reverse()) await service.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
