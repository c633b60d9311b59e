import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi } from '../support/app.js';
import { CATALOGUE } from '../../domain/obligations/catalogue.js';
import { PROCESS_POLICY_CODES } from '../../domain/process-policies.js';
import { currentPolicy, policyAt, seedPolicies } from '../../models/policy.js';
import { startServiceHarness, type ServiceHarness } from '../support/harness.js';

describe('obligation policy API: versioned, admin-edited catalogue', () => {
  let h: ServiceHarness;
  let api: TestApi;
  let admin: string;
  let supervisor: string;
  let unit: string;

  beforeAll(async () => {
    h = await startServiceHarness();
    api = h.api;
    await seedPolicies(h.models);
    admin = api.token({ sub: 'admin-1', role: 'admin', orgId: 'yiwu-pc' });
    supervisor = api.token({ sub: 'sup-1', role: 'supervisor', orgId: 'yiwu-dic' });
    unit = api.token({ sub: 'unit-1', role: 'unit', orgId: 'town-a-pc' });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** The editable fields of the current version, ready to PUT back with changes. */
  async function editBody(code: string, changes: Record<string, unknown>): Promise<Record<string, unknown>> {
    const res = await api.request('GET', `/api/v1/policies/${code}`, { token: admin });
    expect(res.status).toBe(200);
    const current = res.body.current as { version: number; entry: Record<string, unknown> };
    const { code: _code, ...fields } = current.entry;
    return { baseVersion: current.version, ...fields, ...changes };
  }

  it('when a unit lists the policies, then every catalogue entry comes at version 1 in catalogue order, the process policies after', async () => {
    const res = await api.request('GET', '/api/v1/policies', { token: unit });
    expect(res.status).toBe(200);
    expect((res.body.items as Array<{ code: string }>).map((p) => p.code)).toEqual([...CATALOGUE.map((e) => e.code), ...PROCESS_POLICY_CODES]);
    expect(res.body.items.every((p: any) => p.version === 1 && p.createdBy === 'system:seed')).toBe(true);
    const report = res.body.items.find((p: any) => p.code === 'PC-ANNUAL-REPORT');
    expect(report.entry.due).toEqual({ kind: 'dayOfMonthAfterPeriodStart', month: 13, day: 15 });
    expect(report.entry.articles).toEqual(['10(1)', '6(12)']);
  });

  it('when the policies are read without a token, then 401', async () => {
    const res = await api.request('GET', '/api/v1/policies');
    expect(res.status).toBe(401);
  });

  it('when seeding runs again, then nothing is inserted and version 1 stays as it was', async () => {
    const before = await policyAt(h.models, 'PC-QUARTERLY-MEETING', 1);
    const again = await seedPolicies(h.models);
    expect(again.inserted).toEqual([]);
    expect(await policyAt(h.models, 'PC-QUARTERLY-MEETING', 1)).toEqual(before);
    expect(await h.models.Policy.countDocuments({ version: 1 })).toBe(CATALOGUE.length + PROCESS_POLICY_CODES.length);
  });

  it('when an admin edits a policy, then version 2 is current and version 1 is still readable unchanged', async () => {
    const v1 = await api.request('GET', '/api/v1/policies/PM-SPECIAL-ANALYSIS/versions/1', { token: supervisor });
    expect(v1.status).toBe(200);
    expect(v1.body.entry.minimumCount).toBe(2);

    const body = await editBody('PM-SPECIAL-ANALYSIS', { minimumCount: 3, note: 'city variant: three analyses a year' });
    const put = await api.request('PUT', '/api/v1/policies/PM-SPECIAL-ANALYSIS', { token: admin, body });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ code: 'PM-SPECIAL-ANALYSIS', version: 2, createdBy: 'admin-1', note: 'city variant: three analyses a year' });
    expect(put.body.entry.minimumCount).toBe(3);

    const one = await api.request('GET', '/api/v1/policies/PM-SPECIAL-ANALYSIS', { token: unit });
    expect(one.status).toBe(200);
    expect(one.body.current.version).toBe(2);
    expect(one.body.current.entry.minimumCount).toBe(3);
    expect((one.body.versions as Array<{ version: number }>).map((v) => v.version)).toEqual([1, 2]);

    const v1Again = await api.request('GET', '/api/v1/policies/PM-SPECIAL-ANALYSIS/versions/1', { token: supervisor });
    expect(v1Again.body).toEqual(v1.body);

    const list = await api.request('GET', '/api/v1/policies', { token: unit });
    expect(list.body.items.find((p: any) => p.code === 'PM-SPECIAL-ANALYSIS').version).toBe(2);

    const audit = await h.models.AuditEntry.findOne({ entryId: 'policy:PM-SPECIAL-ANALYSIS:v2' }).lean();
    expect(audit).toMatchObject({ action: 'policy.edit', outcome: 'ok', target: { kind: 'policy', id: 'PM-SPECIAL-ANALYSIS' } });
    expect(audit?.actor).toMatchObject({ kind: 'user', sub: 'admin-1', role: 'admin' });
    expect(audit?.details).toMatchObject({ version: 2, baseVersion: 1 });
  });

  it('when a supervisor tries to edit a policy, then 403 and nothing changes', async () => {
    const body = await editBody('PC-QUARTERLY-MEETING', { minimumCount: 2 });
    const res = await api.request('PUT', '/api/v1/policies/PC-QUARTERLY-MEETING', { token: supervisor, body });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect(await h.models.Policy.countDocuments({ code: 'PC-QUARTERLY-MEETING' })).toBe(1);
    expect(await h.models.AuditEntry.countDocuments({ 'target.id': 'PC-QUARTERLY-MEETING' })).toBe(0);
  });

  it('when an edit names a base version that is no longer current, then 409 and nothing changes', async () => {
    const first = await editBody('DIC-MONTHLY-VIOLATIONS', { due: { kind: 'dayOfMonthAfterPeriodStart', month: 2, day: 10 } });
    expect((await api.request('PUT', '/api/v1/policies/DIC-MONTHLY-VIOLATIONS', { token: admin, body: first })).status).toBe(200);
    const before = await currentPolicy(h.models, 'DIC-MONTHLY-VIOLATIONS');

    const stale = { ...first, baseVersion: 1, due: { kind: 'dayOfMonthAfterPeriodStart', month: 2, day: 20 } };
    const res = await api.request('PUT', '/api/v1/policies/DIC-MONTHLY-VIOLATIONS', { token: admin, body: stale });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'conflict', details: { currentVersion: 2 } });
    expect(await currentPolicy(h.models, 'DIC-MONTHLY-VIOLATIONS')).toEqual(before);
    expect(await h.models.Policy.countDocuments({ code: 'DIC-MONTHLY-VIOLATIONS' })).toBe(2);
    expect(await h.models.AuditEntry.countDocuments({ 'target.id': 'DIC-MONTHLY-VIOLATIONS' })).toBe(1);
  });

  it('when two admins edit the same version at once, then one edit wins and the other gets 409', async () => {
    const body = await editBody('DIC-WARNING-EDUCATION', {});
    const [a, b] = await Promise.all([
      api.request('PUT', '/api/v1/policies/DIC-WARNING-EDUCATION', { token: admin, body: { ...body, minimumCount: 2 } }),
      api.request('PUT', '/api/v1/policies/DIC-WARNING-EDUCATION', { token: admin, body: { ...body, minimumCount: 3 } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(await h.models.Policy.countDocuments({ code: 'DIC-WARNING-EDUCATION' })).toBe(2);
  });

  it('when the edit body is invalid, then 400 names the fields and nothing changes', async () => {
    const valid = await editBody('PL-ANNUAL-LECTURE', {});
    const cases = [
      { ...valid, minimumCount: 0 },
      { ...valid, due: { kind: 'whenever' } },
      { ...valid, period: 'fortnight' },
      { ...valid, requiresAcceptance: true, recipient: 'none' },
      { ...valid, escalation: { steps: [{ afterDaysOverdue: -1, action: 'notify' }] } },
      (({ baseVersion: _b, ...rest }: Record<string, unknown>) => rest)(valid),
    ];
    for (const body of cases) {
      const res = await api.request('PUT', '/api/v1/policies/PL-ANNUAL-LECTURE', { token: admin, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_input');
      expect(res.body.error.details.length).toBeGreaterThan(0);
    }
    expect(await h.models.Policy.countDocuments({ code: 'PL-ANNUAL-LECTURE' })).toBe(1);
  });

  it('when the code is unknown, then reading and editing it answer 404', async () => {
    expect((await api.request('GET', '/api/v1/policies/NO-SUCH-DUTY', { token: unit })).status).toBe(404);
    expect((await api.request('GET', '/api/v1/policies/NO-SUCH-DUTY/versions/1', { token: unit })).status).toBe(404);
    expect((await api.request('GET', '/api/v1/policies/PC-ANNUAL-REPORT/versions/99', { token: unit })).status).toBe(404);
    const body = await editBody('PL-ANNUAL-LECTURE', {});
    const res = await api.request('PUT', '/api/v1/policies/NO-SUCH-DUTY', { token: admin, body });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect(await h.models.Policy.countDocuments({ code: 'NO-SUCH-DUTY' })).toBe(0);
  });

  it('when the OpenAPI document is read, then it lists the policy endpoints', async () => {
    const res = await api.request('GET', '/api/v1/openapi.json');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/policies', '/api/v1/policies/{code}', '/api/v1/policies/{code}/versions/{version}']),
    );
    expect(res.body.paths['/api/v1/policies/{code}'].put.responses['409']).toBeDefined();
  });
});
