/** Task forms as JSON Schema for the console, and /console without a build. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { type TestApi } from '../support/app.js';
import { forms } from '../../domain/forms.js';
import { consoleRouter } from '../../api/console/static.js';
import { startServiceHarness, type ServiceHarness } from '../support/harness.js';

describe('task forms as JSON Schema', () => {
  let h: ServiceHarness;
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    h = await startServiceHarness();
    api = h.api;
    token = api.token({ sub: 'u-1', role: 'unit', orgId: 'org-1' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('when the report form is read, then its JSON Schema requires a summary and allows nothing else', async () => {
    const res = await api.request('GET', '/api/v1/forms/report', { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ type: 'object', required: ['summary'], additionalProperties: false });
    expect(res.body.properties.summary).toMatchObject({ type: 'string', minLength: 1 });
    expect(res.body.properties.documentId).toMatchObject({ type: 'string' });
  });

  it('when the form list is read, then it names every form of domain/forms.ts', async () => {
    const res = await api.request('GET', '/api/v1/forms', { token });
    expect(res.body.items).toEqual(Object.keys(forms).sort());
  });

  it('when an unknown form is asked for, then 404 not_found', async () => {
    const res = await api.request('GET', '/api/v1/forms/no-such-form', { token });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('when no token is given, then 401', async () => {
    expect((await api.request('GET', '/api/v1/forms/report')).status).toBe(401);
  });
});

describe('the console route', () => {
  it('when the console has not been built, then /console answers 503 saying how to build it', async () => {
    const app = express().use(consoleRouter('/nonexistent/console-dist'));
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/console/inbox`);
      expect(res.status).toBe(503);
      expect(await res.text()).toBe('console not built: run npm run build:console');
    } finally {
      server.close();
    }
  });
});
