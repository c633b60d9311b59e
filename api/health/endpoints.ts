import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Endpoints } from '../http/endpoint.js';
import { ApiError } from '../http/errors.js';
import { pingDb } from '../../models/db.js';
import type { Models } from '../../models/index.js';
import type { ProcessIndex } from '../../read-model/process-index.js';

const DependencyState = z.enum(['ok', 'unreachable']);
const Health = z.object({
  status: z.literal('ok'),
  dependencies: z.object({ temporal: DependencyState, mongodb: DependencyState }),
  processIndex: z
    .enum(['notLoaded', 'loading', 'ready'])
    .describe('whether search and the dashboard answer from memory yet: the API loads the index at start (seconds at 100,000 processes); until it is ready they wait for it'),
});

async function temporalReachable(temporal: Client, timeoutMs = 1_500): Promise<boolean> {
  try {
    await temporal.connection.withDeadline(Date.now() + timeoutMs, () =>
      temporal.connection.workflowService.getSystemInfo({}),
    );
    return true;
  } catch {
    return false;
  }
}

export function healthEndpoints(api: Endpoints, deps: { temporal: Client; models: Models; processIndex: ProcessIndex }): void {
  api.add(
    {
      method: 'get',
      path: '/health',
      summary: 'Whether Temporal and MongoDB are reachable (503 names the one that is not)',
      tag: 'operations',
      access: 'public',
      response: { status: 200, description: 'every dependency reachable', schema: Health },
      errors: [503],
    },
    async () => {
      const [temporal, mongodb] = await Promise.all([temporalReachable(deps.temporal), pingDb(deps.models.conn)]);
      const dependencies = {
        temporal: temporal ? 'ok' : 'unreachable',
        mongodb: mongodb ? 'ok' : 'unreachable',
      } as const;
      const down = Object.entries(dependencies)
        .filter(([, state]) => state !== 'ok')
        .map(([name]) => name);
      if (down.length > 0) throw new ApiError('unavailable', `unreachable: ${down.join(', ')}`, { dependencies });
      return { status: 'ok', dependencies, processIndex: deps.processIndex.stats().state } as const;
    },
  );
}
