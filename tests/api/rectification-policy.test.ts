/**
 * The rectification's policy (PROCESS-RECTIFICATION) lives beside the obligation
 * catalogue: seeded as version 1, read and edited through the same policy API, and
 * versioned the same way: a rectification keeps the version it started under.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devServerClient, startDevServerWorker, testModels, uniqueId, type RunningWorker } from '../support/services.js';
import { startTestApi, type TestApi } from '../support/app.js';
import { loadDemoData } from '../../data/load-demo.js';
import { seedPolicies } from '../../models/policy.js';
import { addMonths, localDateOf } from '../../domain/calendar.js';
import { DEFAULT_RECTIFICATION_POLICY } from '../../domain/rectification/policy.js';

describe('rectification policy: versioned with the catalogue, edited through the policy API', () => {
  let db: Awaited<ReturnType<typeof testModels>>;
  let temporal: Awaited<ReturnType<typeof devServerClient>>;
  let worker: RunningWorker;
  let api: TestApi;
  let admin: string;
  let officer: string;

  beforeAll(async () => {
    db = await testModels();
    await loadDemoData(db.models);
    await seedPolicies(db.models);
    temporal = await devServerClient();
    worker = await startDevServerWorker(db.models);
    api = await startTestApi({ temporal: temporal.client, models: db.models, taskQueue: worker.taskQueue });
    admin = api.token({ sub: 'admin-1', role: 'admin', orgId: 'yiwu-pc' });
    officer = api.token({ sub: 'co-yiwu', role: 'caseOfficer', orgId: 'yiwu-dic', personId: 'p-yiwu-co' });
  });
  afterAll(async () => {
    await api?.close();
    await worker?.stop();
    await temporal?.close();
    await db?.close();
  });

  const today = () => localDateOf(Date.now());
  const start = (feedbackId: string) =>
    api.request('POST', '/api/v1/rectifications', {
      token: officer,
      body: { targetOrgId: 'futang-pc', issuingOrgId: 'yiwu-pc', feedbackId, feedbackDate: today(), channel: 'written', findings: [{ title: 't', detail: 'd' }] },
    });
  const details = async (processId: string) => {
    for (let i = 0; i < 100; i++) {
      const res = await api.request('GET', `/api/v1/rectifications/${encodeURIComponent(processId)}`, { token: officer });
      if (res.status === 200) return res.body.details;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('rectification not readable');
  };

  it('when the policies are read, then PROCESS-RECTIFICATION is there at version 1 with its readings', async () => {
    const res = await api.request('GET', '/api/v1/policies/PROCESS-RECTIFICATION', { token: officer });
    expect(res.status).toBe(200);
    expect(res.body.current).toMatchObject({ code: 'PROCESS-RECTIFICATION', version: 1, createdBy: 'system:seed' });
    expect(res.body.current.entry).toEqual(DEFAULT_RECTIFICATION_POLICY);
    expect(res.body.current.entry.readings.length).toBeGreaterThanOrEqual(5);
  });

  it('when an admin edits it with the flat body, then version 2 is current and a new rectification runs under it while a running one keeps version 1', async () => {
    const before = await start(uniqueId('fb'));
    expect(before.status).toBe(201);
    expect(before.body.plan.dueDate).toBe(addMonths(today(), 1));

    const { code: _code, ...fields } = DEFAULT_RECTIFICATION_POLICY;
    const put = await api.request('PUT', '/api/v1/policies/PROCESS-RECTIFICATION', {
      token: admin,
      body: { baseVersion: 1, note: 'city variant: two months for the plan', ...fields, planDueMonths: 2 },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ code: 'PROCESS-RECTIFICATION', version: 2, entry: { planDueMonths: 2, reviewDueDays: 15 } });

    const after = await start(uniqueId('fb'));
    expect(after.status).toBe(201);
    expect(after.body.plan.dueDate).toBe(addMonths(today(), 2));
    expect((await details(after.body.processId)).policy).toEqual({ code: 'PROCESS-RECTIFICATION', version: 2 });
    expect((await details(before.body.processId)).policy).toEqual({ code: 'PROCESS-RECTIFICATION', version: 1 });
  });

  it('when an edit of a process policy is invalid or has the obligation shape, then 400 and nothing changes; nor does an obligation take the process shape', async () => {
    const count = await db.models.Policy.countDocuments({ code: 'PROCESS-RECTIFICATION' });
    const { code: _code, ...fields } = DEFAULT_RECTIFICATION_POLICY;
    const current = (await api.request('GET', '/api/v1/policies/PROCESS-RECTIFICATION', { token: admin })).body.current.version as number;
    const obligation = (await api.request('GET', '/api/v1/policies/PC-ANNUAL-REPORT', { token: admin })).body.current;
    const { code: _c, ...obligationFields } = obligation.entry;
    for (const body of [
      { baseVersion: current, ...fields, planDueMonths: 0 },
      { baseVersion: current, ...fields, escalation: { steps: [{ afterDaysOverdue: -1, action: 'notify' }] } },
      { baseVersion: current, ...obligationFields },
    ]) {
      const res = await api.request('PUT', '/api/v1/policies/PROCESS-RECTIFICATION', { token: admin, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details.length).toBeGreaterThan(0);
    }
    expect(await db.models.Policy.countDocuments({ code: 'PROCESS-RECTIFICATION' })).toBe(count);
    const wrong = await api.request('PUT', '/api/v1/policies/PC-ANNUAL-REPORT', { token: admin, body: { baseVersion: obligation.version, ...fields } });
    expect(wrong.status).toBe(400);
    expect(await db.models.Policy.countDocuments({ code: 'PC-ANNUAL-REPORT' })).toBe(1);
  });
});
