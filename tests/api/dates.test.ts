/**
 * Dates (issue 12): every date the API takes lies in the range of the INPUT-DATES policy
 * (by default 2015-01-01 to twelve months ahead), or it is 400 and nothing happens; an
 * enrolment reaches back at most `enrolBackfillMonths` and says which past periods it opened.
 * Dev server, FerretDB, the real worker and the Yiwu demo data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApi } from '../support/app.js';
import { startServiceHarness, type ServiceHarness } from '../support/harness.js';
import { addMonths, localDateOf } from '../../domain/calendar.js';
import type { ObligationPeriod } from '../../models/obligation-period.js';
import { seedPolicies } from '../../models/policy.js';

describe('Input dates bounded by policy (INPUT-DATES)', () => {
  let h: ServiceHarness;
  let api: TestApi;
  let admin: string;
  let officer: string;
  const today = localDateOf(Date.now());

  beforeAll(async () => {
    h = await startServiceHarness({ data: 'demo', worker: true });
    await seedPolicies(h.models);
    api = h.api;
    admin = api.token({ sub: 'acct-admin', role: 'admin', orgId: 'yiwu-pc' });
    officer = api.token({ sub: 'acct-yiwu-co', role: 'caseOfficer', orgId: 'yiwu-dic', personId: 'p-yiwu-co' });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('when a rectification names the feedback date 0001-01-01, then 400 names the field and the range, and nothing starts', async () => {
    const res = await api.request('POST', '/api/v1/rectifications', {
      token: officer,
      body: { targetOrgId: 'futang-pc', issuingOrgId: 'yiwu-dic', feedbackId: 'fb-year-one', feedbackDate: '0001-01-01', channel: 'written', findings: [{ title: 't', detail: 'd' }] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ code: 'date_out_of_range', path: ['body', 'feedbackDate'] })]);
    expect(res.body.error.message).toContain('2015-01-01');
    await expect(h.client.workflow.getHandle('rectification:futang-pc:fb-year-one').describe()).rejects.toThrow();
  });

  it('when a search filter is more than twelve months ahead, then 400; a date within the range is taken', async () => {
    const far = addMonths(today, 13);
    const refused = await api.request('GET', `/api/v1/tasks?dueBefore=${far}`, { token: admin });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0]).toMatchObject({ code: 'date_out_of_range', path: ['query', 'dueBefore'] });
    expect((await api.request('GET', `/api/v1/tasks?dueBefore=${addMonths(today, 11)}`, { token: admin })).status).toBe(200);
    expect((await api.request('GET', '/api/v1/audit?since=1900-01-01T00:00:00Z', { token: admin })).status).toBe(400);
  });

  it('when an admin moves the earliest date back in the policy, then an earlier date is taken from then on', async () => {
    expect((await api.request('GET', '/api/v1/tasks?dueAfter=2012-05-01', { token: admin })).status).toBe(400);
    const current = await api.request('GET', '/api/v1/policies/INPUT-DATES', { token: admin });
    expect(current.status).toBe(200);
    const { code: _code, ...fields } = current.body.current.entry;
    const edit = await api.request('PUT', '/api/v1/policies/INPUT-DATES', { token: admin, body: { ...fields, baseVersion: current.body.current.version, earliest: '2010-01-01', note: 'older files are entered' } });
    expect(edit.status).toBe(200);
    expect((await api.request('GET', '/api/v1/tasks?dueAfter=2012-05-01', { token: admin })).status).toBe(200);
  });

  /**
   * A party committee of this test's own: a cycle's workflow ID is its organisation's and its
   * duty's, and other test files enrol the demo tree's on the same Temporal server.
   */
  async function ownPc(): Promise<string> {
    const orgId = `dates-pc-${Math.random().toString(36).slice(2, 10)}`;
    const created = await api.request('POST', '/api/v1/orgs', { token: admin, body: { id: orgId, kind: 'pc', category: 'town', name: 'Dates Test Town PC', nameZh: '日期测试镇党委', parentId: 'yiwu-pc' } });
    expect(created.status).toBe(201);
    return orgId;
  }

  it('when an enrolment reaches back to 2020, then 422 names the earliest allowed and no cycle starts', async () => {
    const orgId = await ownPc();
    const res = await api.request('POST', '/api/v1/obligations/enrol', { token: admin, body: { orgId, codes: ['PC-ANNUAL-REPORT'], fromPeriod: '2020-01-01' } });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toMatchObject({ fromPeriod: '2020-01-01', earliest: addMonths(today, -12), codes: ['PC-ANNUAL-REPORT'] });
    await expect(h.client.workflow.getHandle(`obligation:${orgId}:PC-ANNUAL-REPORT`).describe()).rejects.toThrow();
  });

  it('when an enrolment reaches back six months, then the answer lists the past periods it opened, which are the periods that open; a form date outside the range is 400 and the task stays open', async () => {
    const fromPeriod = addMonths(today, -6);
    const orgId = await ownPc();
    const res = await api.request('POST', '/api/v1/obligations/enrol', { token: admin, body: { orgId, codes: ['PC-QUARTERLY-MEETING'], fromPeriod } });
    expect(res.status).toBe(200);
    const cycleId = `obligation:${orgId}:PC-QUARTERLY-MEETING`;
    expect(res.body.started).toEqual([cycleId]);
    const backfilled = res.body.backfilled as Array<{ cycleId: string; periodKey: string; dueDate: string; pastDue: boolean }>;
    expect(backfilled.length).toBeGreaterThanOrEqual(2);
    expect(backfilled.every((p) => p.cycleId === cycleId)).toBe(true);
    expect(backfilled.some((p) => p.pastDue)).toBe(true);
    for (const p of backfilled) expect(p.pastDue).toBe(p.dueDate < today);

    // What the answer said is what the cycle opened.
    const keys = backfilled.map((p) => p.periodKey).sort();
    const opened = await waitFor(async () => {
      const periods = await h.models.ObligationPeriod.find({ cycleId }).lean<ObligationPeriod[]>();
      return periods.length >= keys.length ? periods : null;
    });
    expect(opened.map((p) => p.periodKey).sort()).toEqual(keys);

    const task = await h.openTask(`${cycleId}:${backfilled.at(-1)!.periodKey}`, 'submitRecord', 30_000);
    const unit = api.token({ sub: 'acct-dates', role: 'unit', orgId });
    const complete = (heldOn: string) => api.request('POST', `/api/v1/tasks/${encodeURIComponent(task._id)}/complete`, { token: unit, body: { payload: { summary: 'quarterly meeting held', heldOn } } });
    const refused = await complete('0001-01-01');
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ code: 'date_out_of_range', path: ['payload', 'heldOn'] })]);
    expect((await h.models.Task.findById(task._id).lean<{ status: string }>())?.status).toBe('open');
    expect((await complete(today)).status).toBe(200);
  }, 90_000);
});

async function waitFor<T>(read: () => Promise<T | null>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}
