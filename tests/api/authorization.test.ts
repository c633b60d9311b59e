/**
 * Authorization over every route, table-driven. The table below is the rule: which
 * roles may call each operation at all. For every operation of the OpenAPI document
 * (so a new route cannot slip through without an entry): no token, a forged token and
 * an expired token get 401; every role outside the table gets 403 whatever it sends;
 * every role inside is let through the role gate. Which organisations a caller may
 * touch (scope) is checked by each feature's own tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import jwt from 'jsonwebtoken';
import { TEST_AUTH_SECRET, type TestApi } from '../support/app.js';
import type { Role } from '../../domain/tasks.js';
import { startServiceHarness, type ServiceHarness } from '../support/harness.js';

const ALL: Role[] = ['admin', 'caseOfficer', 'supervisor', 'unit', 'leader'];
const OVERSIGHT: Role[] = ['admin', 'caseOfficer', 'supervisor'];
const OFFICERS: Role[] = ['admin', 'caseOfficer'];
const ADMIN: Role[] = ['admin'];

/** "METHOD path" → roles allowed through the role gate; 'public' needs no token. */
const table: Record<string, Role[] | 'public'> = {
  'GET /health': 'public',
  'GET /api/v1/auth/options': 'public',
  'POST /api/v1/auth/sign-in': 'public',
  'POST /api/v1/auth/refresh': 'public',
  'POST /api/v1/auth/sign-out': 'public',
  'POST /api/v1/auth/password': ALL,
  'GET /api/v1/auth/sso/start': 'public',
  'GET /api/v1/auth/sso/callback': 'public',
  'GET /api/v1/tasks': ALL,
  'GET /api/v1/tasks/{id}': ALL,
  'POST /api/v1/tasks/{id}/complete': ALL,
  'GET /api/v1/processes': ALL,
  'GET /api/v1/processes/{id}': ALL,
  'GET /api/v1/processes/{id}/history': ALL,
  'GET /api/v1/processes/{id}/diagram': ALL,
  'POST /api/v1/processes/{id}/cancel': OFFICERS,
  'GET /api/v1/dashboard': OVERSIGHT,
  'POST /api/v1/rectifications': OFFICERS,
  'GET /api/v1/rectifications/{id}': ALL,
  'GET /api/v1/notifications': ALL,
  'GET /api/v1/proposals': OVERSIGHT,
  'POST /api/v1/proposals/{id}/dismiss': OFFICERS,
  'POST /api/v1/proposals/{id}/open': OFFICERS,
  'POST /api/v1/interviews': OFFICERS,
  'POST /api/v1/cases': OFFICERS,
  'GET /api/v1/accountability-records': ALL,
  'GET /api/v1/audit': ['admin', 'supervisor'],
  'GET /api/v1/orgs': ALL,
  'POST /api/v1/orgs': ADMIN,
  'GET /api/v1/orgs/{id}': ALL,
  'GET /api/v1/people': ALL,
  'POST /api/v1/people': ADMIN,
  'GET /api/v1/people/{id}': ALL,
  'GET /api/v1/accounts': ADMIN,
  'POST /api/v1/accounts': ADMIN,
  'GET /api/v1/accounts/{username}': ADMIN,
  'POST /api/v1/accounts/{username}/password': ADMIN,
  'POST /api/v1/accounts/{username}/disable': ADMIN,
  'POST /api/v1/accounts/{username}/enable': ADMIN,
  'GET /api/v1/policies': ALL,
  'GET /api/v1/policies/{code}': ALL,
  'PUT /api/v1/policies/{code}': ADMIN,
  'GET /api/v1/policies/{code}/versions/{version}': ALL,
  'POST /api/v1/obligations/enrol': OFFICERS,
  'POST /api/v1/obligations/leave': OFFICERS,
  'GET /api/v1/obligations': OVERSIGHT,
  'POST /api/v1/documents': ALL,
  'GET /api/v1/documents/{id}': ALL,
  'PUT /api/v1/documents/{id}': ALL,
  'POST /api/v1/documents/{id}/signatures': ['leader', 'supervisor', 'caseOfficer'],
  'GET /api/v1/documents/{id}/signatures': ALL,
  // Webhook subscriptions send an organisation's notices out of the service: administrators only (docs/decisions.md).
  'GET /api/v1/webhooks': ADMIN,
  'POST /api/v1/webhooks': ADMIN,
  'GET /api/v1/webhooks/{id}': ADMIN,
  'PATCH /api/v1/webhooks/{id}': ADMIN,
  'DELETE /api/v1/webhooks/{id}': ADMIN,
  'POST /api/v1/webhooks/{id}/secret': ADMIN,
  'GET /api/v1/process-models': ALL,
  'GET /api/v1/process-models/{type}': ALL,
  'GET /api/v1/process-models/{type}/bpmn': ALL,
  'GET /api/v1/forms': ALL,
  'GET /api/v1/forms/{name}': ALL,
};

const ROLE_GATE = /needs one of the roles/;

describe('authorization: every route, every role', () => {
  let h: ServiceHarness;
  let api: TestApi;
  let operations: Array<{ method: string; path: string; key: string }>;

  beforeAll(async () => {
    h = await startServiceHarness();
    api = h.api;
    const doc = (await api.request('GET', '/api/v1/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path, key: `${method.toUpperCase()} ${path}` })),
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  const concrete = (path: string) => path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'version' ? '1' : `no-such-${name}`));
  const call = (op: { method: string; path: string }, headers: Record<string, string>) =>
    api.request(op.method, concrete(op.path), { headers, ...(op.method === 'GET' ? {} : { body: {} }) });

  it('when the operations are listed, then each is in the table and the table names no route that is gone', () => {
    const keys = operations.map((o) => o.key).sort();
    expect(keys.filter((k) => !(k in table))).toEqual([]);
    expect(Object.keys(table).filter((k) => !keys.includes(k))).toEqual([]);
  });

  it('when a non-public route is called with no token, a forged token or an expired one, then 401 every time', async () => {
    const forged = jwt.sign({ sub: 'x', role: 'admin', orgId: 'city-pc' }, 'another-secret-entirely', { algorithm: 'HS256' });
    const expired = jwt.sign({ sub: 'x', role: 'admin', orgId: 'city-pc', exp: Math.floor(Date.now() / 1000) - 60 }, TEST_AUTH_SECRET, { algorithm: 'HS256' });
    const badClaims = jwt.sign({ sub: 'x', role: 'emperor', orgId: 'city-pc' }, TEST_AUTH_SECRET, { algorithm: 'HS256' });
    const failures: string[] = [];
    for (const op of operations.filter((o) => table[o.key] !== 'public')) {
      for (const [label, headers] of [
        ['none', {}],
        ['forged', { authorization: `Bearer ${forged}` }],
        ['expired', { authorization: `Bearer ${expired}` }],
        ['bad claims', { authorization: `Bearer ${badClaims}` }],
      ] as const) {
        const res = await call(op, headers);
        if (res.status !== 401 || res.body?.error?.code !== 'unauthorized') failures.push(`${op.key} with ${label} token: ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('when each role calls each route, then roles outside the table get 403 and roles inside pass the role gate', async () => {
    const failures: string[] = [];
    for (const op of operations) {
      const allowed = table[op.key];
      if (allowed === 'public' || allowed === undefined) continue;
      for (const role of ALL) {
        const token = api.token({ sub: `${role}-caller`, role, orgId: 'city-pc' });
        const res = await call(op, { authorization: `Bearer ${token}` });
        const gated = res.status === 403 && ROLE_GATE.test(String(res.body?.error?.message));
        if (allowed.includes(role) && (gated || res.status === 401)) failures.push(`${op.key} as ${role}: refused (${res.status})`);
        if (!allowed.includes(role) && !gated) failures.push(`${op.key} as ${role}: expected 403 role gate, got ${res.status} ${JSON.stringify(res.body?.error ?? '')}`);
        if (res.status >= 500) failures.push(`${op.key} as ${role}: ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
