/**
 * Obligation enrolment, leaving and the annual report's rectification accounts through the
 * API, on the dev server with the real worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devServerClient, startDevServerWorker, testModels, type RunningWorker } from '../support/services.js';
import { startTestApi, type TestApi } from '../support/app.js';
import { loadDemoData } from '../../data/load-demo.js';
import { seedPolicies } from '../../models/policy.js';
import { localDateOf } from '../../domain/calendar.js';

async function eventually<T>(read: () => Promise<T | null | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('obligation cycles through the API (dev server)', () => {
  let db: Awaited<ReturnType<typeof testModels>>;
  let temporal: Awaited<ReturnType<typeof devServerClient>>;
  let worker: RunningWorker;
  let api: TestApi;
  const admin = () => api.token({ sub: 'admin', role: 'admin', orgId: 'yiwu-pc' });

  beforeAll(async () => {
    db = await testModels();
    await loadDemoData(db.models);
    await seedPolicies(db.models);
    temporal = await devServerClient();
    worker = await startDevServerWorker(db.models);
    api = await startTestApi({ temporal: temporal.client, models: db.models, taskQueue: worker.taskQueue });
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await worker?.stop();
    await temporal?.close();
    await db?.close();
  });

  it('when the whole demo tree is enrolled twice, then each cycle starts once and the second answer lists them all as already enrolled; leaving withdraws them', async () => {
    // Every kind of org and of duty (per org, per post holder, city-only), not all 26 codes:
    // a few hundred cycles at once would only load the test server, not test more.
    const codes = ['PC-ANNUAL-REPORT', 'PC-QUARTERLY-MEETING', 'PM-SPECIAL-ANALYSIS', 'DIC-MONTHLY-VIOLATIONS', 'DIC-SPECIAL-INSPECTION', 'UNIT-ANNUAL-REPORT'];
    const body = { orgId: 'jinhua-pc', subtree: true, codes };
    const first = await api.request('POST', '/api/v1/obligations/enrol', { token: admin(), body });
    expect(first.status).toBe(200);
    const started: string[] = first.body.started;
    expect(first.body.alreadyEnrolled).toEqual([]);
    expect(started).toEqual(expect.arrayContaining([
      'obligation:futang-pc:PC-ANNUAL-REPORT',
      'obligation:futang-pc:PM-SPECIAL-ANALYSIS:p-futang-tm1',
      'obligation:futang-pc:PM-SPECIAL-ANALYSIS:p-futang-tm2',
      'obligation:futang-dic:DIC-MONTHLY-VIOLATIONS',
      'obligation:futang-service-centre:UNIT-ANNUAL-REPORT',
    ]));
    // City-only duties are the city's, not the town's.
    expect(started).toContain('obligation:yiwu-dic:DIC-SPECIAL-INSPECTION');
    expect(started).not.toContain('obligation:futang-dic:DIC-SPECIAL-INSPECTION');
    expect(started.filter((id) => id.startsWith('obligation:choucheng-pc:PM-SPECIAL-ANALYSIS:'))).toHaveLength(2);
    expect(new Set(started).size).toBe(started.length);

    const second = await api.request('POST', '/api/v1/obligations/enrol', { token: admin(), body });
    expect(second.status).toBe(200);
    expect(second.body.started).toEqual([]);
    expect([...second.body.alreadyEnrolled].sort()).toEqual([...started].sort());

    const unit = await api.request('POST', '/api/v1/obligations/enrol', { token: api.token({ sub: 'u', role: 'unit', orgId: 'futang-pc' }), body });
    expect(unit.status).toBe(403);
    const outside = await api.request('POST', '/api/v1/obligations/enrol', { token: api.token({ sub: 'co', role: 'caseOfficer', orgId: 'futang-dic' }), body: { orgId: 'suxi-pc', codes } });
    expect(outside.status).toBe(403);

    const quarterly = 'obligation:futang-pc:PC-QUARTERLY-MEETING';
    const openPeriod = await eventually(() => db.models.ObligationPeriod.findOne({ cycleId: quarterly, state: 'open' }).lean(), 'the quarterly period to open');
    await eventually(() => db.models.Task.findOne({ processId: openPeriod._id, status: 'open' }).lean(), 'its task');

    const left = await api.request('POST', '/api/v1/obligations/leave', { token: admin(), body: { orgId: 'jinhua-pc', subtree: true, reason: 'test clean-up: duties withdrawn' } });
    expect(left.status).toBe(200);
    expect([...left.body.left].sort()).toEqual([...started].sort());
    const withdrawn = await eventually(() => db.models.ObligationPeriod.findOne({ _id: openPeriod._id, state: 'withdrawn' }).lean(), 'the open period to be withdrawn');
    expect(withdrawn.reason).toBe('test clean-up: duties withdrawn');
    const task = await eventually(() => db.models.Task.findOne({ processId: openPeriod._id, status: 'cancelled' }).lean(), 'its task to be cancelled');
    expect(task.cancelReason).toBe('test clean-up: duties withdrawn');
  }, 120_000);

  it('Art. 10(1), 6(12): when the annual report lacks a recorded rectification account, then the city DIC cannot accept it (422); once it gives the account, it is accepted', async () => {
    // An org of its own, so the previous test's enrolment does not hold its workflow ID.
    await db.models.Org.create({ _id: 'lanxi-pc', kind: 'pc', category: 'town', name: 'Lanxi Town PC', nameZh: '兰溪镇党委', parentId: 'yiwu-pc', path: ['jinhua-pc', 'yiwu-pc', 'lanxi-pc'] });
    const year = Number(localDateOf(Date.now()).slice(0, 4)) - 1;
    const rectificationId = 'rectification:lanxi-pc:fb-1';
    await db.models.AnnualReportRequirement.create({
      _id: rectificationId,
      orgId: 'lanxi-pc',
      year,
      rectificationId,
      feedbackId: 'fb-1',
      closedOn: `${year}-11-30`,
      summary: 'Rectification of the inspection feedback fb-1',
      items: [],
      createdAt: new Date(),
    });
    const enrol = await api.request('POST', '/api/v1/obligations/enrol', { token: admin(), body: { orgId: 'lanxi-pc', codes: ['PC-ANNUAL-REPORT'], fromPeriod: `${year}-06-01` } });
    expect(enrol.body.started).toEqual(['obligation:lanxi-pc:PC-ANNUAL-REPORT']);
    const periodId = `obligation:lanxi-pc:PC-ANNUAL-REPORT:${year}`;
    const unit = api.token({ sub: 'u-lanxi', role: 'unit', orgId: 'lanxi-pc' });
    const cityDic = api.token({ sub: 'sv-yiwu', role: 'supervisor', orgId: 'yiwu-dic' });
    const open = (elementId: string) => eventually(() => db.models.Task.findOne({ processId: periodId, elementId, status: 'open' }).lean(), `an open ${elementId}`);
    const complete = (taskId: string, token: string, payload: unknown) => api.request('POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`, { token, body: { payload } });

    const report = await open('submitRecord');
    expect(report.dueDate).toBe(`${year + 1}-01-15`);
    expect((report.context as { requiredRectificationAccounts: Array<{ rectificationId: string }> }).requiredRectificationAccounts.map((a) => a.rectificationId)).toEqual([rectificationId]);
    expect((await complete(report._id, unit, { summary: 'Annual report without the rectification account' })).status).toBe(200);

    const acceptance = await open('acceptRecord');
    expect(acceptance.assignee?.orgId).toBe('yiwu-dic');
    const refused = await complete(acceptance._id, cityDic, { decision: 'accept' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toContain(rectificationId);
    expect((await complete(acceptance._id, cityDic, { decision: 'return', note: 'give the account of the rectification' })).status).toBe(200);

    const second = await eventually(() => db.models.Task.findOne({ processId: periodId, elementId: 'submitRecord', status: 'open', _id: { $ne: report._id } }).lean(), 'a second report task');
    const withAccount = { summary: 'Annual report', rectificationAccounts: [{ rectificationId, account: 'All items rectified and verified.' }] };
    expect((await complete(second._id, unit, withAccount)).status).toBe(200);
    const acceptance2 = await eventually(() => db.models.Task.findOne({ processId: periodId, elementId: 'acceptRecord', status: 'open' }).lean(), 'a second acceptance');
    expect((await complete(acceptance2._id, cityDic, { decision: 'accept' })).status).toBe(200);

    const expected = localDateOf(Date.now()) <= `${year + 1}-01-15` ? 'met' : 'late';
    const result = await eventually(() => db.models.ObligationPeriod.findOne({ _id: periodId, state: expected }).lean(), `the period to be ${expected}`);
    expect(result.records).toBe(1);

    const list = await api.request('GET', `/api/v1/obligations?code=PC-ANNUAL-REPORT&periodKey=${year}`, { token: cityDic });
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { id: string; state: string }) => [i.id, i.state])).toEqual([[periodId, expected]]);
    const townSupervisor = await api.request('GET', '/api/v1/obligations?code=PC-ANNUAL-REPORT', { token: api.token({ sub: 'sv-suxi', role: 'supervisor', orgId: 'suxi-dic' }) });
    expect(townSupervisor.body.items).toEqual([]);
  }, 120_000);
});
