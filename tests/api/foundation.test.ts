import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import { testModels } from '../support/services.js';
import { startTestApi, type TestApi } from '../support/app.js';
import { repoRoot } from '../../scripts/lib/services.js';
import { parseConfig, ConfigError } from '../../config/env.js';
import { startServiceHarness, type ServiceHarness } from '../support/harness.js';

describe('API skeleton: health, errors, OpenAPI', () => {
  let h: ServiceHarness;
  let api: TestApi;

  beforeAll(async () => {
    h = await startServiceHarness();
    api = h.api;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('when Temporal and MongoDB are reachable, then /health answers 200 with both ok', async () => {
    const res = await api.request('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', dependencies: { temporal: 'ok', mongodb: 'ok' } });
  });

  it('when the first search has been answered, then /health says the process index is ready', async () => {
    expect((await api.request('GET', '/health')).body.processIndex).toBe('notLoaded');
    expect((await api.request('GET', '/api/v1/processes', { token: api.token({ sub: 'a', role: 'admin', orgId: 'city-pc' }) })).status).toBe(200);
    expect((await api.request('GET', '/health')).body.processIndex).toBe('ready');
  });

  it('when MongoDB is unreachable, then /health answers 503 naming mongodb', async () => {
    const down = await testModels();
    await down.models.conn.close();
    const brokenApi = await startTestApi({ temporal: h.client, models: down.models });
    try {
      const res = await brokenApi.request('GET', '/health');
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('unavailable');
      expect(res.body.error.message).toContain('mongodb');
      expect(res.body.error.details.dependencies).toEqual({ temporal: 'ok', mongodb: 'unreachable' });
    } finally {
      await brokenApi.close();
    }
  });

  it('when MongoDB is unreachable, then a data endpoint answers 503 in the error format, not 500', async () => {
    const down = await testModels();
    await down.models.conn.close();
    const brokenApi = await startTestApi({ temporal: h.client, models: down.models });
    try {
      const res = await brokenApi.request('GET', '/api/v1/tasks', { token: brokenApi.token({ sub: 'u', role: 'unit', orgId: 'x' }) });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('unavailable');
    } finally {
      await brokenApi.close();
    }
  });

  it('when Temporal is unreachable, then /health answers 503 naming temporal', async () => {
    const connection = Connection.lazy({ address: '127.0.0.1:1' });
    const brokenApi = await startTestApi({ temporal: new Client({ connection }), models: h.models });
    try {
      const res = await brokenApi.request('GET', '/health');
      expect(res.status).toBe(503);
      expect(res.body.error.details.dependencies).toEqual({ temporal: 'unreachable', mongodb: 'ok' });
    } finally {
      await brokenApi.close();
      await connection.close().catch(() => undefined);
    }
  });

  it('when a route does not exist, then 404 comes in the error format', async () => {
    const res = await api.request('GET', '/api/v1/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'no route GET /api/v1/no-such-thing' } });
  });

  it('when the body is malformed JSON, then 400 comes in the error format', async () => {
    const res = await api.request('POST', '/api/v1/rectifications', { token: api.token({ sub: 'a', role: 'admin', orgId: 'city-pc' }), rawBody: '{"broken":' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
  });

  it('when the OpenAPI document is read, then it is 3.1 and lists /health', async () => {
    const res = await api.request('GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.paths['/health'].get.responses['200']).toBeDefined();
  });

  it('when /metrics is scraped after requests, then it counts them by route and status in Prometheus text', async () => {
    await api.request('GET', '/health');
    const res = await fetch(`${api.baseUrl}/metrics`);
    const text = await res.text();
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/health",status="200"\} \d+/);
    expect(text).toContain('process_uptime_seconds');
  });

  it('when a URL is not valid percent-encoding or a body comes compressed, then 400 or 415 in the error format, never 500', async () => {
    const token = api.token({ sub: 'a', role: 'admin', orgId: 'city-pc' });
    for (const path of ['/api/v1/tasks/%ff', '/api/v1/processes/%E0%A4%A', '/api/v1/orgs/%c0']) {
      const res = await api.request('GET', path, { token });
      expect(res.status, path).toBe(400);
      expect(res.body.error.code, path).toBe('invalid_input');
    }
    const consoleFile = await fetch(`${api.baseUrl}/console/%c0`);
    expect([400, 404], '/console/%c0').toContain(consoleFile.status);
    for (const encoding of ['gzip', 'deflate', 'br', 'x-unknown']) {
      const res = await fetch(`${api.baseUrl}/api/v1/rectifications`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-encoding': encoding },
        body: 'not really compressed',
      });
      expect(res.status, encoding).toBe(415);
      expect(((await res.json()) as { error: { code: string } }).error.code, encoding).toBe('unsupported_media_type');
    }
  });

  it('when a request without a token sends a body, then it is refused 401 before the body is read (not 400 for its JSON)', async () => {
    const res = await fetch(`${api.baseUrl}/api/v1/rectifications`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    const withToken = await api.request('POST', '/api/v1/rectifications', { token: api.token({ sub: 'a', role: 'admin', orgId: 'city-pc' }), rawBody: '{not json', headers: { 'content-type': 'application/json' } });
    expect(withToken.status).toBe(400);
    expect(withToken.body.error.message).toContain('not valid JSON');
  });

  it('when a scrape token is configured, then /metrics answers only a scraper that sends it (401 in the error format otherwise)', async () => {
    const token = 'scrape-token-of-32-characters-xx';
    const guarded = await startTestApi({ temporal: h.client, models: h.models, config: { METRICS_TOKEN: token } });
    try {
      const none = await fetch(`${guarded.baseUrl}/metrics`);
      expect(none.status).toBe(401);
      expect(((await none.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
      expect((await fetch(`${guarded.baseUrl}/metrics`, { headers: { authorization: `Bearer ${token.replace('x', 'y')}` } })).status).toBe(401);
      expect((await fetch(`${guarded.baseUrl}/metrics`, { headers: { authorization: `Bearer ${api.token({ sub: 'a', role: 'admin', orgId: 'city-pc' })}` } })).status).toBe(401);
      const scraped = await fetch(`${guarded.baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('process_uptime_seconds');
    } finally {
      await guarded.close();
    }
  });

  it('when requests match no route (a crafted path, a crafted path with a body), then /metrics labels them "unmatched" and their paths appear nowhere', async () => {
    await fetch(`${api.baseUrl}/api/v1/no-such-${'x'.repeat(40)}/a"b{c="d"}`);
    await fetch(`${api.baseUrl}/crafted-label"},evil{x="1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    const text = await (await fetch(`${api.baseUrl}/metrics`)).text();
    expect(text).not.toContain('no-such-');
    expect(text).not.toContain('crafted-label');
    expect(text).toMatch(/http_requests_total\{method="POST",route="unmatched",status="404"\} \d+/);
    // Every series line is well formed: three quoted labels, then a number.
    for (const line of text.split('\n').filter((l) => l.startsWith('http_requests_total{'))) {
      expect(line).toMatch(/^http_requests_total\{method="[A-Z]+",route="[^"\\]*",status="\d{3}"\} \d+$/);
    }
  });

  it('when any answer is read, then it carries the security headers, and an API answer is not to be cached', async () => {
    for (const path of ['/api/v1/openapi.json', '/health', '/console/', '/api/v1/no-such-route']) {
      const res = await fetch(`${api.baseUrl}${path}`);
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(res.headers.get('content-security-policy'), path).toContain("script-src 'self'");
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
    }
    expect((await fetch(`${api.baseUrl}/api/v1/openapi.json`)).headers.get('cache-control')).toBe('no-store');
    expect((await fetch(`${api.baseUrl}/api/v1/no-such-route`)).headers.get('cache-control')).toBe('no-store');
  });

  it('when /docs is opened, then a readable docs page is served', async () => {
    const res = await api.request('GET', '/docs/');
    expect(res.status).toBe(200);
    expect(String(res.body)).toContain('swagger-ui');
  });
});

describe('config: the environment is parsed once and a bad variable is named', () => {
  it('when PORT is not a number, then parsing fails naming PORT', () => {
    expect(() => parseConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => parseConfig({ PORT: 'abc' })).toThrow(/PORT/);
  });

  it('when several variables are bad, then each is named', () => {
    try {
      parseConfig({ PORT: '-1', MONGODB_URI: 'http://x', TEMPORAL_ADDRESS: 'nohostport' });
      expect.unreachable('parseConfig accepted bad variables');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/MONGODB_URI/);
      expect(problems).toMatch(/TEMPORAL_ADDRESS/);
    }
  });

  it('when production runs with the development secret, then parsing fails naming AUTH_SECRET', () => {
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_SECRET/);
  });

  it('when the API process starts with PORT=abc, then it exits non-zero naming PORT', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
      cwd: repoRoot,
      env: { ...process.env, PORT: 'abc' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('PORT');
  });
});
