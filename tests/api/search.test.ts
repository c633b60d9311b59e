import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi } from '../support/app.js';
import { appendChange } from '../../read-model/change-log.js';
import { actors, loadTree, tree } from '../support/fixtures.js';
import { endOfDayInstant } from '../../domain/calendar.js';
import { startServiceHarness, type ServiceHarness } from '../support/harness.js';

type OrgKey = keyof typeof tree;

/** A process summary as the activities write it. */
function summary(id: string, org: OrgKey, processType: string, status: string, startedAt: string, extra: { overdue?: boolean; nextDue?: string } = {}) {
  return {
    _id: id,
    processType,
    title: `process ${id}`,
    orgId: tree[org]._id,
    orgPath: [...tree[org].path],
    status,
    startedAt: new Date(startedAt),
    ...(status === 'running' ? {} : { endedAt: new Date('2027-03-01T00:00:00Z') }),
    activeElements: status === 'running' ? ['theTask'] : [],
    openTasks: status === 'running' ? 1 : 0,
    overdue: extra.overdue ?? false,
    ...(extra.nextDue ? { nextDueAt: new Date(endOfDayInstant(extra.nextDue)) } : {}),
    escalationLevel: 0,
    updatedAt: new Date(),
  };
}

describe('process search: GET /api/v1/processes', () => {
  let h: ServiceHarness;
  let api: TestApi;

  const ids = async (actor: (typeof actors)[keyof typeof actors], query = '') => {
    const res = await api.request('GET', `/api/v1/processes${query ? `?${query}` : ''}`, { token: api.token(actor) });
    expect(res.status).toBe(200);
    return { ids: (res.body.items as Array<{ processId: string }>).map((i) => i.processId), total: res.body.total as number, body: res.body };
  };

  beforeAll(async () => {
    h = await startServiceHarness();
    api = h.api;
    await loadTree(h.models);
    await h.models.ProcessSummary.insertMany([
      // Started 2027-01-05 08:00 Shanghai; due 10 March.
      summary('p1', 'townA', 'rectification', 'running', '2027-01-05T00:00:00Z', { overdue: true, nextDue: '2027-03-10' }),
      // Started 1 February 10:00 Shanghai (02:00Z): "started on or before 1 February" holds it.
      summary('p2', 'townADic', 'obligation-cycle', 'running', '2027-02-01T02:00:00Z', { nextDue: '2027-03-20' }),
      summary('p3', 'townB', 'rectification', 'running', '2027-01-20T00:00:00Z', { overdue: true, nextDue: '2027-03-05' }),
      summary('p4', 'cityPc', 'interview', 'completed', '2026-12-01T00:00:00Z'),
      summary('p5', 'townB', 'interview', 'cancelled', '2027-02-10T00:00:00Z'),
    ]);
    // Rows written around the activities, as the benchmark seeder does: the API's index reads them all again.
    await appendChange(h.models, { kind: 'reload' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('when a town supervisor searches, then only its subtree\'s processes come back, newest first', async () => {
    const r = await ids(actors.townASupervisor);
    expect(r.ids).toEqual(['p2', 'p1']);
    expect(r.total).toBe(2);
    expect(r.body.items[1]).toMatchObject({ processId: 'p1', processType: 'rectification', orgId: 'town-a-pc', status: 'running', overdue: true, nextDueDate: '2027-03-10', openTasks: 1 });
  });

  it('when a unit searches, then it sees its own organisation\'s processes only, not its DIC\'s', async () => {
    expect((await ids(actors.townAUnit)).ids).toEqual(['p1']);
    expect((await ids(actors.townAUnit, 'subtreeOf=city-pc')).ids).toEqual(['p1']);
  });

  it('when a filter names an organisation outside the caller\'s scope, then the answer is empty, not others\' data', async () => {
    expect(await ids(actors.townASupervisor, 'subtreeOf=town-b-pc')).toMatchObject({ ids: [], total: 0 });
    expect(await ids(actors.townASupervisor, 'orgId=town-b-pc')).toMatchObject({ ids: [], total: 0 });
    expect(await ids(actors.townAUnit, 'subtreeOf=town-b-pc')).toMatchObject({ ids: [], total: 0 });
    expect(await ids(actors.townASupervisor, 'subtreeOf=no-such-org')).toMatchObject({ ids: [], total: 0 });
  });

  it('when a supervisor asks for an ancestor of its scope, then it gets its own scope and no more', async () => {
    expect((await ids(actors.townASupervisor, 'subtreeOf=city-pc')).ids).toEqual(['p2', 'p1']);
  });

  it('when the city supervisor narrows to a subtree, then only that subtree comes back', async () => {
    expect((await ids(actors.citySupervisor, 'subtreeOf=town-b-pc')).ids).toEqual(['p5', 'p3']);
    expect((await ids(actors.citySupervisor, 'orgId=town-a-dic')).ids).toEqual(['p2']);
  });

  it('when type and overdue are filtered and sorted by next due date, then the order follows the sort', async () => {
    expect((await ids(actors.citySupervisor, 'type=rectification&overdue=true&sort=nextDueAt&order=asc')).ids).toEqual(['p3', 'p1']);
    expect((await ids(actors.citySupervisor, 'type=rectification&overdue=true&sort=nextDueAt&order=desc')).ids).toEqual(['p1', 'p3']);
    expect((await ids(actors.citySupervisor, 'overdue=false&status=running')).ids).toEqual(['p2']);
  });

  it('when status is filtered, then only processes in that status come back', async () => {
    expect((await ids(actors.citySupervisor, 'status=completed')).ids).toEqual(['p4']);
    expect((await ids(actors.citySupervisor, 'status=cancelled')).ids).toEqual(['p5']);
  });

  it('when a due range is given as local dates, then a process due on the last day is in it and one due a day later is not', async () => {
    expect((await ids(actors.citySupervisor, 'dueAfter=2027-03-06&dueBefore=2027-03-10')).ids).toEqual(['p1']);
    expect((await ids(actors.citySupervisor, 'dueAfter=2027-03-06&dueBefore=2027-03-09')).ids).toEqual([]);
    expect((await ids(actors.citySupervisor, 'dueAfter=2027-03-10&sort=nextDueAt&order=asc')).ids).toEqual(['p1', 'p2']);
  });

  it('when a start range is given as local dates, then both ends are inclusive in Shanghai time', async () => {
    expect((await ids(actors.citySupervisor, 'startedAfter=2027-01-20&startedBefore=2027-02-01')).ids).toEqual(['p2', 'p3']);
    expect((await ids(actors.citySupervisor, 'startedBefore=2026-12-31')).ids).toEqual(['p4']);
  });

  it('when a page is asked for, then items and total agree with the whole list', async () => {
    const page = await ids(actors.citySupervisor, 'limit=2&offset=1');
    expect(page.ids).toEqual(['p2', 'p3']);
    expect(page.total).toBe(5);
    expect(page.body).toMatchObject({ limit: 2, offset: 1 });
  });

  it('when a filter is malformed, then 400 invalid_input and no 500', async () => {
    for (const q of ['dueBefore=2027-13-01', 'overdue=yes', 'sort=title', 'limit=0', 'status=open']) {
      const res = await api.request('GET', `/api/v1/processes?${q}`, { token: api.token(actors.citySupervisor) });
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('invalid_input');
    }
  });

  it('when no token is given, then 401', async () => {
    expect((await api.request('GET', '/api/v1/processes')).status).toBe(401);
  });
});
