import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testModels } from '../support/services.js';
import { startTestApi, type TestApi } from '../support/app.js';
import { actors, inDays, loadTree, reportTask, tree } from '../support/fixtures.js';
import { endOfDayInstant } from '../../domain/calendar.js';
import { seedProcesses } from '../../scripts/seed-processes.js';
import { startServiceHarness, type ServiceHarness } from '../support/harness.js';
import { appendChange } from '../../read-model/change-log.js';
import { completeTaskRecord } from '../../activities/tasks.js';
import type { TaskState } from '../../domain/tasks.js';

type OrgKey = keyof typeof tree;

function running(id: string, org: OrgKey, processType: string) {
  return {
    _id: id,
    processType,
    title: id,
    orgId: tree[org]._id,
    orgPath: [...tree[org].path],
    status: 'running',
    startedAt: new Date(),
    activeElements: ['theTask'],
    openTasks: 1,
    updatedAt: new Date(),
  };
}

function task(id: string, org: OrgKey, processType: string, dueInDays: number, extra: { status?: string; overdue?: boolean; level?: number } = {}) {
  const dueDate = inDays(dueInDays);
  return {
    _id: id,
    processId: `proc-${id}`,
    processType,
    elementId: 'theTask',
    form: 'report',
    title: `task ${id}`,
    titleZh: `任务 ${id}`,
    assignee: { orgId: tree[org]._id, roles: ['unit'] },
    orgPath: [...tree[org].path],
    orgId: tree[org]._id,
    dueDate,
    dueAt: new Date(endOfDayInstant(dueDate)),
    status: extra.status ?? 'open',
    overdue: extra.overdue ?? false,
    escalationLevel: extra.level ?? 0,
    createdAt: new Date(),
  };
}

describe('overdue dashboard: GET /api/v1/dashboard', () => {
  let h: ServiceHarness;
  let api: TestApi;

  const dashboard = (actor: (typeof actors)[keyof typeof actors], query = '') => api.request('GET', `/api/v1/dashboard${query}`, { token: api.token(actor) });

  beforeAll(async () => {
    h = await startServiceHarness();
    api = h.api;
    await loadTree(h.models);
    await h.models.ProcessSummary.insertMany([
      running('s1', 'townA', 'rectification'),
      running('s2', 'townA', 'obligation-cycle'),
      running('s3', 'townADic', 'rectification'),
      running('s4', 'townB', 'rectification'),
      { ...running('s5', 'townA', 'rectification'), status: 'completed', activeElements: [], openTasks: 0 },
    ]);
    await h.models.Task.insertMany([
      task('t1', 'townA', 'rectification', -40, { overdue: true, level: 2 }),
      task('t2', 'townA', 'obligation-cycle', -3, { overdue: true }),
      task('t3', 'townADic', 'rectification', 2),
      task('t4', 'townA', 'rectification', 6),
      task('t5', 'townA', 'rectification', 7),
      task('t6', 'townB', 'rectification', -10, { overdue: true, level: 1 }),
      task('t7', 'townA', 'rectification', -5, { status: 'completed' }),
    ]);
    // Rows written around the activities, as the benchmark seeder does: the API's index reads them all again.
    await appendChange(h.models, { kind: 'reload' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('when a town supervisor opens it, then the counts of its subtree are exact, by organisation and by type', async () => {
    const res = await dashboard(actors.townASupervisor);
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body.root).toEqual({ orgId: 'town-a-pc', name: 'Town A PC', nameZh: '甲镇党委' });
    expect(body.today).toBe(inDays(0));
    expect(body.dueThisWeekUntil).toBe(inDays(6));
    expect(body.totals).toEqual({ openProcesses: 3, openTasks: 5, dueThisWeek: 2, overdue: 2, escalated: 1 });
    expect(body.byOrg).toEqual([
      { orgId: 'town-a-pc', name: 'Town A PC', nameZh: '甲镇党委', openProcesses: 2, openTasks: 4, dueThisWeek: 1, overdue: 2, escalated: 1 },
      { orgId: 'town-a-dic', name: 'Town A DIC', nameZh: '甲镇纪委', openProcesses: 1, openTasks: 1, dueThisWeek: 1, overdue: 0, escalated: 0 },
    ]);
    expect(body.byProcessType).toEqual([
      { processType: 'obligation-cycle', openProcesses: 1, openTasks: 1, dueThisWeek: 0, overdue: 1, escalated: 0 },
      { processType: 'rectification', openProcesses: 2, openTasks: 4, dueThisWeek: 2, overdue: 1, escalated: 1 },
    ]);
  });

  it('when overdue tasks exist, then the oldest come first with their organisation and days overdue', async () => {
    const body = (await dashboard(actors.townASupervisor)).body;
    expect(body.oldestOverdue.map((t: { taskId: string }) => t.taskId)).toEqual(['t1', 't2']);
    expect(body.oldestOverdue[0]).toMatchObject({ processId: 'proc-t1', orgId: 'town-a-pc', orgName: 'Town A PC', orgNameZh: '甲镇党委', dueDate: inDays(-40), escalationLevel: 2 });
    expect(body.oldestOverdue[0].daysOverdue).toBe(39);
  });

  it('when the city supervisor opens it, then the whole city is counted; with orgId it narrows to that subtree', async () => {
    const all = (await dashboard(actors.citySupervisor)).body;
    expect(all.totals).toEqual({ openProcesses: 4, openTasks: 6, dueThisWeek: 2, overdue: 3, escalated: 2 });
    expect(all.oldestOverdue.map((t: { taskId: string }) => t.taskId)).toEqual(['t1', 't6', 't2']);
    const townB = (await dashboard(actors.citySupervisor, '?orgId=town-b-pc')).body;
    expect(townB.totals).toEqual({ openProcesses: 1, openTasks: 1, dueThisWeek: 0, overdue: 1, escalated: 1 });
    expect(townB.byOrg.map((o: { orgId: string }) => o.orgId)).toEqual(['town-b-pc']);
  });

  it('when a supervisor names a root outside its scope or unknown, then 404', async () => {
    expect((await dashboard(actors.townASupervisor, '?orgId=town-b-pc')).status).toBe(404);
    expect((await dashboard(actors.townASupervisor, '?orgId=no-such-org')).status).toBe(404);
  });

  it('when /metrics is scraped after a dashboard read, then it shows the process index loaded with what it holds', async () => {
    await dashboard(actors.citySupervisor);
    const text = await (await fetch(`${api.baseUrl}/metrics`)).text();
    expect(text).toMatch(/^process_index_loaded 1$/m);
    expect(text).toMatch(/^process_index_summaries 5$/m);
    expect(text).toMatch(/^process_index_log_position [1-9]\d*$/m);
  });

  it('when a unit asks for the dashboard, then 403', async () => {
    const res = await dashboard(actors.townAUnit);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  it('when the benchmark seeder loads processes into a database the API already reads, then the next dashboard counts them', async () => {
    const seeded = await testModels();
    const seededApi = await startTestApi({ temporal: h.client, models: seeded.models });
    const admin = seededApi.token({ sub: 'admin', role: 'admin', orgId: 'yiwu-pc' });
    try {
      expect((await seededApi.request('GET', '/api/v1/dashboard', { token: admin })).body.totals.openProcesses).toBe(0);
      const written = await seedProcesses(seeded.models, { count: 400, batch: 150 });
      const res = await seededApi.request('GET', '/api/v1/dashboard', { token: admin });
      expect(res.status).toBe(200);
      expect(res.body.totals).toMatchObject({ openProcesses: written.running, openTasks: written.openTasks, overdue: written.overdueTasks });
      expect(res.body.byOrg.every((o: { nameZh?: string }) => typeof o.nameZh === 'string')).toBe(true);
      expect(res.body.oldestOverdue).toHaveLength(10);
    } finally {
      await seededApi.close();
      await seeded.close();
    }
  });

  it('when an activity completes an open task, then the very next dashboard no longer counts it', async () => {
    const before = (await dashboard(actors.townASupervisor)).body.totals;
    const now = new Date().toISOString();
    const t4: TaskState = {
      ...reportTask(inDays(6)),
      taskId: 't4',
      status: 'completed',
      dueAt: endOfDayInstant(inDays(6)),
      createdAt: now,
      overdue: false,
      escalationLevel: 0,
      completedAt: now,
      completedBy: { sub: 'town-a-unit', role: 'unit', orgId: 'town-a-pc' },
    };
    await completeTaskRecord(h.models, { processId: 'proc-t4', processType: 'rectification' }, t4);
    const after = (await dashboard(actors.townASupervisor)).body.totals;
    expect(after).toEqual({ ...before, openTasks: before.openTasks - 1, dueThisWeek: before.dueThisWeek - 1 });
  });
});
