/**
 * Obligation cycles on the time-skipping server with the real activities (test MongoDB):
 * counting "at least N" records, a policy edit reaching only the next period, and ten
 * simulated years of continue-as-new with every run's history kept small.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities/index.js';
import { currentObligationPolicy } from '../../activities/obligations.js';
import { quietBundler, testModels, timeSkippingEnv, uniqueId } from '../support/services.js';
import { startTestApi } from '../support/app.js';
import { actors, allWorkflowsPath, loadTree, tree } from '../support/fixtures.js';
import { obligationCycle } from '../../workflows/obligation-cycle.js';
import { longSleep } from '../fixtures/probe-workflows.js';
import { completeTaskUpdate } from '../../workflows/messages.js';
import { endOfDayMs, localDateOf, nextPeriodStart, startOfDayMs } from '../../domain/calendar.js';
import { dueDateFor, periodFor } from '../../domain/obligations/due-dates.js';
import { addPolicyVersion, seedPolicies } from '../../models/policy.js';
import type { Actor } from '../../domain/tasks.js';
import type { Models } from '../../models/index.js';

const DAY = 86_400_000;
const teamMember = { _id: 'p-town-a-tm', name: 'Team Member A', posts: [{ orgId: tree.townA._id, post: 'teamMember' }], orgIds: [tree.townA._id] };
const teamMemberActor: Actor = { sub: 'tm-a', role: 'leader', orgId: tree.townA._id, personId: teamMember._id };

async function eventually<T>(read: () => Promise<T | null | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('obligation cycle (time-skipping, real activities)', () => {
  let env: TestWorkflowEnvironment;
  let db: Awaited<ReturnType<typeof testModels>>;
  let models: Models;
  let bundle: WorkflowBundleWithSourceMap;
  let taskQueue: string;
  // One worker for the whole file: a worker shut down between tests can leave a task it had
  // polled unfinished, and the test server does not skip time until that task times out.
  let worker: Worker;
  let running: Promise<void>;
  const runUntil = (fn: () => Promise<void>) => fn();

  beforeAll(async () => {
    env = await timeSkippingEnv();
    db = await testModels();
    models = db.models;
    await loadTree(models);
    await models.Person.create(teamMember);
    await seedPolicies(models);
    taskQueue = uniqueId('tq');
    bundle = await bundleWorkflowCode({ workflowsPath: allWorkflowsPath, logger: quietBundler });
    worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities: createActivities({ models }) });
    running = worker.run();
  }, 120_000);
  afterAll(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await env?.teardown();
    await db?.close();
  });

  const serverToday = async () => localDateOf(await env.currentTimeMs());
  // Skips time by awaiting a sleeping workflow's result: the test server skips time while a
  // client awaits a result, and stops at the timers of the cycles on the way.
  const sleepUntil = async (ms: number) => {
    const days = Math.max(1_000, ms - (await env.currentTimeMs())) / DAY;
    await env.client.workflow.execute(longSleep, { taskQueue, workflowId: uniqueId('skip'), args: [days] });
  };

  async function startCycle(code: string, periodStart: string, personId?: string) {
    const policy = await currentObligationPolicy(models, code);
    if (!policy) throw new Error(`no policy ${code}`);
    const cycleId = `${uniqueId('obligation')}:${tree.townA._id}:${code}`;
    await env.client.workflow.start(obligationCycle, {
      taskQueue,
      workflowId: cycleId,
      args: [
        {
          orgId: tree.townA._id,
          orgPath: [...tree.townA.path],
          ...(personId ? { personId } : {}),
          code,
          policy,
          periodStart,
          startedBy: actors.cityCaseOfficer,
          issuerOrgId: tree.cityDic._id,
          searchAttributes: false,
          counters: { runs: 0, periodsStarted: 0 },
        },
      ],
    });
    return cycleId;
  }

  const openTask = (periodId: string, elementId = 'submitRecord') =>
    eventually(() => models.Task.findOne({ processId: periodId, elementId, status: 'open' }).lean(), `an open ${elementId} task of ${periodId}`);

  async function submit(periodId: string, actor: Actor, summary: string) {
    const task = await openTask(periodId);
    return env.client.workflow.getHandle(periodId).executeUpdate(completeTaskUpdate, { args: [{ taskId: task._id, actor, payload: { summary } }] });
  }

  const periodState = (periodId: string, state: string) =>
    eventually(() => models.ObligationPeriod.findOne({ _id: periodId, state }).lean(), `${periodId} to be ${state}`);

  it('Art. 8(2): when a team member has one accepted special analysis by 31 December, then the year is missed; a second one afterwards makes it met late', async () => {
    const today = await serverToday();
    const entry = (await currentObligationPolicy(models, 'PM-SPECIAL-ANALYSIS'))!.entry;
    const period = periodFor(entry, today);
    await runUntil(async () => {
      const cycleId = await startCycle('PM-SPECIAL-ANALYSIS', today, teamMember._id);
      const periodId = `${cycleId}:${period.key}`;
      const first = await submit(periodId, teamMemberActor, 'first analysis');
      expect(first.late).toBe(false);
      await openTask(periodId); // the second record's task is open
      await sleepUntil(endOfDayMs(`${period.key}-12-31`) + 2 * DAY);
      const missed = await periodState(periodId, 'missed');
      expect(missed).toMatchObject({ records: 1, required: 2, dueDate: `${period.key}-12-31`, policyVersion: 1, personId: teamMember._id });
      await submit(periodId, teamMemberActor, 'second analysis, late');
      expect(await periodState(periodId, 'late')).toMatchObject({ records: 2 });
    });
  });

  it('Art. 8(2): when a team member has two accepted special analyses by 31 December, then the year is met', async () => {
    const today = await serverToday();
    const entry = (await currentObligationPolicy(models, 'PM-SPECIAL-ANALYSIS'))!.entry;
    const period = periodFor(entry, today);
    await runUntil(async () => {
      const cycleId = await startCycle('PM-SPECIAL-ANALYSIS', today, teamMember._id);
      const periodId = `${cycleId}:${period.key}`;
      await submit(periodId, teamMemberActor, 'first analysis');
      const second = await submit(periodId, teamMemberActor, 'second analysis');
      expect(second.late).toBe(false);
      expect(await periodState(periodId, 'met')).toMatchObject({ records: 2, required: 2 });
      // Let the process finish before skipping time.
      await sleepUntil(endOfDayMs(`${period.key}-12-31`) + 2 * DAY);
      expect((await models.ObligationPeriod.findById(periodId).lean())?.state).toBe('met');
    });
  });

  it('Art. 6(2): when the policy is edited while a quarter is open, then the open quarter keeps its version and the next quarter runs under the new one', async () => {
    const today = await serverToday();
    const v1 = (await currentObligationPolicy(models, 'PC-QUARTERLY-MEETING'))!;
    const period = periodFor(v1.entry, today);
    const next = periodFor(v1.entry, nextPeriodStart('quarter', period.start));
    await runUntil(async () => {
      const cycleId = await startCycle('PC-QUARTERLY-MEETING', today);
      const openId = `${cycleId}:${period.key}`;
      await openTask(openId);
      await addPolicyVersion(models, {
        code: 'PC-QUARTERLY-MEETING',
        baseVersion: v1.version,
        entry: { ...v1.entry, minimumCount: 2, title: 'Quarterly thematic meeting, twice a quarter' },
        createdBy: 'admin',
        at: new Date(await env.currentTimeMs()),
      });
      await submit(openId, actors.townAUnit, 'the quarter\'s meeting');
      expect(await periodState(openId, 'met')).toMatchObject({ policyVersion: v1.version, required: 1, records: 1, dueDate: dueDateFor(v1.entry, period.start) });

      await sleepUntil(startOfDayMs(next.start) + DAY);
      const nextId = `${cycleId}:${next.key}`;
      const opened = await periodState(nextId, 'open');
      expect(opened).toMatchObject({ policyVersion: v1.version + 1, required: 2, dueDate: next.end });
      const task = await openTask(nextId);
      expect(task.title).toContain('twice a quarter');
    });
  });

  it('when a yearly cycle runs for 10 simulated years, then every run keeps its history under 1,000 events and each year\'s result is readable', async () => {
    const today = await serverToday();
    const entry = (await currentObligationPolicy(models, 'PC-QUANTIFIED-SCORES'))!.entry;
    const first = Number(periodFor(entry, today).key);
    const years = Array.from({ length: 10 }, (_, i) => first + i);
    let cycleId = '';
    await runUntil(async () => {
      cycleId = await startCycle('PC-QUANTIFIED-SCORES', today);
      for (const year of years) {
        const periodId = `${cycleId}:${year}`;
        // Even years are met; odd years missed.
        if (year % 2 === 0) await submit(periodId, actors.townAUnit, `scores ${year}`);
        else await openTask(periodId);
        await sleepUntil(endOfDayMs(`${year}-12-31`) + 2 * DAY);
        await periodState(periodId, year % 2 === 0 ? 'met' : 'missed');
      }
    });
    const records = await models.ObligationPeriod.find({ cycleId, periodKey: { $in: years.map(String) } }).sort({ periodStart: 1 }).lean();
    expect(records.map((r) => [r.periodKey, r.state])).toEqual(years.map((y) => [String(y), y % 2 === 0 ? 'met' : 'missed']));
    for (const r of records) {
      expect(r.historyLength).toBeGreaterThan(0);
      expect(r.historyLength).toBeLessThan(1000);
      expect(r.cycleHistoryLength).toBeGreaterThan(0);
      expect(r.cycleHistoryLength).toBeLessThan(1000);
    }

    const api = await startTestApi({ temporal: env.client, models });
    try {
      const token = api.token(actors.citySupervisor);
      const res = await api.request('GET', `/api/v1/obligations?code=PC-QUANTIFIED-SCORES&orgId=${tree.townA._id}&limit=200`, { token });
      expect(res.status).toBe(200);
      const mine = (res.body.items as Array<{ cycleId: string; periodKey: string; state: string }>).filter((i) => i.cycleId === cycleId && years.includes(Number(i.periodKey)));
      expect(mine.map((i) => [i.periodKey, i.state]).sort()).toEqual(years.map((y) => [String(y), y % 2 === 0 ? 'met' : 'missed']).sort());
      const missed = await api.request('GET', `/api/v1/obligations?code=PC-QUANTIFIED-SCORES&state=missed&limit=200`, { token });
      expect(missed.body.items.filter((i: { cycleId: string }) => i.cycleId === cycleId)).toHaveLength(5);
      const unit = await api.request('GET', '/api/v1/obligations', { token: api.token(actors.townAUnit) });
      expect(unit.status).toBe(403);
    } finally {
      await api.close();
    }
  }, 600_000);
});
