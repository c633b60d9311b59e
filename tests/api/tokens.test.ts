/**
 * Bearer tokens (issue 12, "Tokens"): `exp`, `iss` and `aud` are required and checked; a token's
 * person must hold a post in the token's organisation (from the directory in memory); `npm run
 * token` refuses to mint with NODE_ENV=production.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import jwt from 'jsonwebtoken';
import { startServiceHarness, type ServiceHarness } from '../support/harness.js';
import { TEST_AUTH_SECRET, type TestApi } from '../support/app.js';
import { parseConfig } from '../../config/env.js';
import type { Principal } from '../../api/http/endpoint.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('bearer tokens', () => {
  let h: ServiceHarness;
  let api: TestApi;

  beforeAll(async () => {
    h = await startServiceHarness({ data: 'demo' });
    api = h.api;
  });
  afterAll(async () => {
    await h?.close();
  });

  const claims: Principal = { sub: 'co-yiwu', role: 'caseOfficer', orgId: 'yiwu-dic', personId: 'p-yiwu-co' };
  const read = (token: string) => api.request('GET', '/api/v1/people/p-yiwu-co', { token });
  const sign = (payload: object, options: jwt.SignOptions) => jwt.sign(payload, TEST_AUTH_SECRET, { algorithm: 'HS256', ...options });

  it('when a token has exp, iss and aud as the API issues them, then it is accepted', async () => {
    expect((await read(api.token(claims))).status).toBe(200);
    expect((await read(sign(claims, { expiresIn: '5m', issuer: 'two-responsibilities', audience: 'two-responsibilities-api' }))).status).toBe(200);
  });

  it('when a token lacks exp, iss or aud, or names another issuer or audience, then 401', async () => {
    const cases: Array<[string, jwt.SignOptions]> = [
      ['no exp', { issuer: 'two-responsibilities', audience: 'two-responsibilities-api' }],
      ['no iss', { expiresIn: '5m', audience: 'two-responsibilities-api' }],
      ['no aud', { expiresIn: '5m', issuer: 'two-responsibilities' }],
      ['other iss', { expiresIn: '5m', issuer: 'someone-else', audience: 'two-responsibilities-api' }],
      ['other aud', { expiresIn: '5m', issuer: 'two-responsibilities', audience: 'another-service' }],
    ];
    for (const [label, options] of cases) {
      const res = await read(sign(claims, options));
      expect(res.status, label).toBe(401);
      expect(res.body.error.code, label).toBe('unauthorized');
    }
  });

  it('when a token names a person who holds no post in its organisation, then 401 and nothing is written in that person\'s name', async () => {
    const before = await h.models.AuditEntry.countDocuments({});
    // p-futang-pl leads Futang's PC: not a post at the Yiwu DIC.
    const elsewhere = await read(api.token({ ...claims, personId: 'p-futang-pl' }));
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.body.error.message).toMatch(/holds no post/);
    const unknown = await read(api.token({ ...claims, personId: 'p-nobody' }));
    expect(unknown.status).toBe(401);
    const start = await api.request('POST', '/api/v1/rectifications', {
      token: api.token({ ...claims, personId: 'p-futang-pl' }),
      body: { targetOrgId: 'futang-pc', issuingOrgId: 'yiwu-dic', feedbackId: 'x', feedbackDate: '2026-01-05', channel: 'faceToFace', findings: [{ title: 't', detail: 'd' }] },
    });
    expect(start.status).toBe(401);
    expect(await h.models.AuditEntry.countDocuments({})).toBe(before);
  });

  it('when a person loses the post, then the tokens naming that person stop working at once', async () => {
    await h.models.Person.create({ _id: 'p-temp-co', name: 'Temporary officer', posts: [{ orgId: 'yiwu-dic', post: 'caseOfficer' }], orgIds: ['yiwu-dic'] });
    const token = api.token({ ...claims, personId: 'p-temp-co' });
    expect((await read(token)).status).toBe(200);
    await h.models.Person.updateOne({ _id: 'p-temp-co' }, { $set: { posts: [{ orgId: 'futang-dic', post: 'caseOfficer' }], orgIds: ['futang-dic'] } });
    expect((await read(token)).status).toBe(401);
  });

  it('when npm run token runs with NODE_ENV=production, then it refuses with a message and mints nothing', async () => {
    const run = promisify(execFile);
    const failed = await run(`${root}node_modules/.bin/tsx`, ['scripts/token.ts', '--role', 'admin', '--org', 'yiwu-pc'], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'production', AUTH_SECRET: 'a-production-secret-0123456789' },
    }).then(
      () => null,
      (err: { code: number; stdout: string; stderr: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/refused with NODE_ENV=production/);
    expect(failed?.stdout).toBe('');
    // In development it mints a token this API accepts.
    const { stdout } = await run(`${root}node_modules/.bin/tsx`, ['scripts/token.ts', '--role', 'caseOfficer', '--org', 'yiwu-dic', '--person', 'p-yiwu-co'], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'development', AUTH_SECRET: TEST_AUTH_SECRET },
    });
    expect((await read(stdout.trim())).status).toBe(200);
  });

  it('when single sign-on is half configured, then the configuration names what is missing', () => {
    expect(() => parseConfig({ OIDC_ISSUER: 'https://id.example.gov.cn' })).toThrow(/OIDC_CLIENT_ID[\s\S]*OIDC_REDIRECT_URI/);
    expect(parseConfig({}).OIDC_ISSUER).toBeUndefined();
  });
});
