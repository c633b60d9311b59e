import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import BpmnModdle from 'bpmn-moddle';
import { TEST_AUTH_SECRET, type TestApi } from '../support/app.js';
import { bearerAuthenticator, signToken } from '../../api/auth/tokens.js';
import { Endpoints } from '../../api/http/endpoint.js';
import { errorHandler, unknownRoute } from '../../api/http/errors.js';
import { registerProcessModelEndpoints } from '../../api/process-models/endpoints.js';
import { toBpmnXml } from '../../domain/bpmn.js';
import { processModels } from '../../workflows/process-models.js';
import { sampleProcessModel } from '../fixtures/sample-process-model.js';
import { startServiceHarness, type ServiceHarness } from '../support/harness.js';

describe('process model endpoints in the app (the registry)', () => {
  let h: ServiceHarness;
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    h = await startServiceHarness();
    api = h.api;
    token = api.token({ sub: 'sup-1', role: 'supervisor', orgId: 'org-1' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('when the list is read, then it names every registered process type with its elements', async () => {
    const res = await api.request('GET', '/api/v1/process-models', { token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: processModels.map(({ processType, name, nameZh, elements }) => ({ processType, name, nameZh, elements })),
    });
  });

  it('when an unknown process type is asked for, then its model and its BPMN are 404 not_found', async () => {
    const model = await api.request('GET', '/api/v1/process-models/no-such-type', { token });
    expect(model.status).toBe(404);
    expect(model.body.error).toEqual({ code: 'not_found', message: 'process type "no-such-type" not found' });
    const bpmn = await api.request('GET', '/api/v1/process-models/no-such-type/bpmn', { token });
    expect(bpmn.status).toBe(404);
    expect(bpmn.body.error.code).toBe('not_found');
  });

  it('when no token is given, then the list is 401', async () => {
    const res = await api.request('GET', '/api/v1/process-models');
    expect(res.status).toBe(401);
  });

  it('when the OpenAPI document is read, then the three process model operations are in it', async () => {
    const res = await api.request('GET', '/api/v1/openapi.json');
    expect(res.body.paths['/api/v1/process-models'].get).toBeDefined();
    expect(res.body.paths['/api/v1/process-models/{type}'].get.responses['404']).toBeDefined();
    expect(res.body.paths['/api/v1/process-models/{type}/bpmn'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['type', 'lang']);
  });
});

describe('process model endpoints over the sample model', () => {
  let server: Server;
  let baseUrl: string;
  const token = signToken(TEST_AUTH_SECRET, { sub: 'unit-1', role: 'unit', orgId: 'org-1' });

  beforeAll(async () => {
    // No directory here: a token naming a person would be refused (the tokens below name none).
    const endpoints = new Endpoints(bearerAuthenticator({ secret: TEST_AUTH_SECRET, holdsPost: () => Promise.resolve(false) }));
    registerProcessModelEndpoints(endpoints, [sampleProcessModel]);
    const app = express();
    app.use(endpoints.router);
    app.use(unknownRoute);
    app.use(errorHandler);
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => {
      server?.close(() => resolve());
      server?.closeAllConnections();
    });
  });

  const get = (path: string) => fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('when the list is read, then the sample type comes with its names and element list', async () => {
    const res = await get('/api/v1/process-models');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Array<Record<string, unknown>> };
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toEqual({
      processType: 'sample-rectification',
      name: sampleProcessModel.name,
      nameZh: sampleProcessModel.nameZh,
      elements: sampleProcessModel.elements,
    });
  });

  it('when the model is read, then elements and flows come as modelled', async () => {
    const res = await get('/api/v1/process-models/sample-rectification');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(sampleProcessModel);
  });

  it('when the BPMN is read, then it is application/xml that parses without warnings', async () => {
    const res = await get('/api/v1/process-models/sample-rectification/bpmn');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
    const xml = await res.text();
    expect(xml).toBe(toBpmnXml(sampleProcessModel));
    const parsed = await new BpmnModdle().fromXML(xml);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.elementsById.submitPlan?.name).toBe('报送整改方案');
  });

  it('when the BPMN is read with lang=en, then names are English; with lang=fr, then 400', async () => {
    const en = await get('/api/v1/process-models/sample-rectification/bpmn?lang=en');
    expect(en.status).toBe(200);
    expect(await en.text()).toBe(toBpmnXml(sampleProcessModel, { lang: 'en' }));
    const fr = await get('/api/v1/process-models/sample-rectification/bpmn?lang=fr');
    expect(fr.status).toBe(400);
    expect(((await fr.json()) as { error: { code: string } }).error.code).toBe('invalid_input');
  });
});
