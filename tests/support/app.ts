/** Mounts the real express app in-process on port 0, wired to the test servers. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Client } from '@temporalio/client';
import { createApp, type AppDeps } from '../../api/app.js';
import { signToken, tokenScopeOf } from '../../api/auth/tokens.js';
import type { Principal } from '../../api/http/endpoint.js';
import type { Models } from '../../models/index.js';
import { ProcessIndex } from '../../read-model/process-index.js';

export const TEST_AUTH_SECRET = 'test-secret-at-least-16-chars';

export interface TestApi {
  baseUrl: string;
  request(method: string, path: string, options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<{ status: number; body: any }>;
  /** A valid bearer token (12 h, this app's issuer and audience); its person, if any, must hold a post in its organisation. */
  token(principal: Principal): string;
  close(): Promise<void>;
}

export async function startTestApi(deps: { temporal: Client; models: Models; taskQueue?: string; config?: Partial<AppDeps['config']>; port?: number }): Promise<TestApi> {
  const config: AppDeps['config'] = {
    AUTH_SECRET: TEST_AUTH_SECRET,
    TASK_QUEUE: deps.taskQueue ?? 'unused',
    TEMPORAL_UI_URL: 'http://127.0.0.1:8233',
    TEMPORAL_NAMESPACE: 'default',
    ...deps.config,
  };
  const processIndex = new ProcessIndex(deps.models);
  const app = createApp({ config, temporal: deps.temporal, models: deps.models, processIndex });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(deps.port ?? 0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined;
      if (options.rawBody !== undefined) body = options.rawBody;
      else if (options.body !== undefined) body = JSON.stringify(options.body);
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON (e.g. HTML docs): keep the text
      }
      return { status: res.status, body: parsed };
    },
    token: (principal) => signToken(config.AUTH_SECRET, principal, '12h', tokenScopeOf(config)),
    close: () =>
      new Promise<void>((resolve) => {
        processIndex.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
