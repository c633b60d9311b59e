/**
 * Scenarios whose workflow histories are recorded into tests/histories/ by
 * `npm run record:histories` and replayed against the current code on every test run
 * (tests/replay/replay.test.ts). Each drives one workflow type through real steps on a
 * real server with the real worker; the business processes are started and stepped
 * through the HTTP API (the real app, in-process), so their inputs are exactly what
 * production builds. Every workflow exported from workflows/index.ts has one.
 *
 * Dates: the recording server runs in real time, so nothing may wait for a timer. Dates
 * are counted from today; a past date makes a deadline's timers fire at once.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Models } from '../../models/index.js';
import type { TestApi } from '../support/app.js';
import type { Principal } from '../../api/http/endpoint.js';
import { completeTaskUpdate, cancelProcessUpdate } from '../../workflows/messages.js';
import { singleTaskProcess } from '../fixtures/single-task-workflow.js';
import { actors, identity, inDays, reportTask } from '../support/fixtures.js';
import { addMonths, localDateOf } from '../../domain/calendar.js';
import type { Actor } from '../../domain/tasks.js';

export interface ScenarioContext {
  client: Client;
  models: Models;
  taskQueue: string;
  /** The real app, mounted on the recording servers and starting processes on `taskQueue`. */
  api: TestApi;
  /** Waits until the process has an open task on the element, and returns its ID. */
  openTask(processId: string, elementId: string): Promise<string>;
  complete(handle: WorkflowHandle, taskId: string, actor: Actor, payload: unknown): Promise<void>;
}

/** A workflow run whose history is written to tests/histories/<history>.json. */
export interface Recorded {
  history: string;
  workflowId: string;
  /** A run other than the latest (a run that continued as new); the latest by default. */
  runId?: string;
}

/**
 * The workflow ID a fixture scenario starts under. The replay uses the recorded ID (kept
 * beside each history in <history>.workflow-id), since task IDs, and so the update
 * arguments in the history, derive from it.
 */
export const replayWorkflowId = (name: string) => `replay-${name}`;

export interface Scenario {
  /** What `npm run record:histories <name>` selects. */
  name: string;
  /** The histories it records: file names under tests/histories/ (without .json). */
  histories: string[];
  run(ctx: ScenarioContext): Promise<Recorded[]>;
}

// ---------------------------------------------------------------------------------------
// Helpers over the HTTP API (Yiwu demo accounts, as the API tests use them)
// ---------------------------------------------------------------------------------------

const accounts = {
  yiwuOfficer: { sub: 'replay-yiwu-co', role: 'caseOfficer', orgId: 'yiwu-dic', personId: 'p-yiwu-co' },
  yiwuSupervisor: { sub: 'replay-yiwu-sv', role: 'supervisor', orgId: 'yiwu-dic' },
  yiwuDicHead: { sub: 'replay-yiwu-ds', role: 'supervisor', orgId: 'yiwu-dic', personId: 'p-yiwu-ds' },
  yiwuOrgDept: { sub: 'replay-yiwu-orgdept', role: 'unit', orgId: 'yiwu-orgdept' },
  admin: { sub: 'replay-admin', role: 'admin', orgId: 'yiwu-pc' },
  futangUnit: { sub: 'replay-futang', role: 'unit', orgId: 'futang-pc' },
  futangPl: { sub: 'replay-futang-pl', role: 'leader', orgId: 'futang-pc', personId: 'p-futang-pl' },
  futangTm1: { sub: 'replay-futang-tm1', role: 'leader', orgId: 'futang-pc', personId: 'p-futang-tm1' },
} satisfies Record<string, Principal>;
type Account = keyof typeof accounts;

async function call(ctx: ScenarioContext, who: Account, method: string, path: string, body?: unknown): Promise<any> {
  const res = await ctx.api.request(method, path, { token: ctx.api.token(accounts[who]), ...(body === undefined ? {} : { body }) });
  if (res.status >= 300) throw new Error(`${method} ${path} as ${who}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const completed = new Set<string>();

/**
 * Completes the open task of the element through POST /api/v1/tasks/{id}/complete. A task
 * just completed may still read as open for a moment (its record is written by an
 * activity after the update returns), so the next task of the same element is told apart.
 */
async function step(ctx: ScenarioContext, who: Account, processId: string, elementId: string, payload: unknown, until: Record<string, unknown> = {}): Promise<void> {
  const taskId = await waitForTask(ctx, { processId, elementId, status: 'open', _id: { $nin: [...completed] }, ...until });
  await call(ctx, who, 'POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`, { payload });
  completed.add(taskId);
}

/** Waits until a task record matches the filter; returns its ID. */
async function waitForTask(ctx: ScenarioContext, filter: Record<string, unknown>): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const task = await ctx.models.Task.findOne(filter).lean();
    if (task) return task._id;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no task matches ${JSON.stringify(filter)}`);
}

/**
 * A task opened past its due date runs its overdue notice and every escalation step at
 * once; completing it before they ran would cut them from the history, so wait for them.
 */
const escalatedTwice = { overdue: true, escalationLevel: { $gte: 2 } };

/** Waits until the run ends, so its whole history is recorded. */
async function ended(ctx: ScenarioContext, workflowId: string, runId?: string): Promise<void> {
  await ctx.client.workflow.getHandle(workflowId, runId).result();
}

const today = () => localDateOf(Date.now());

// ---------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------

export const scenarios: Scenario[] = [
  {
    name: 'single-task-completed',
    histories: ['single-task-completed'],
    async run(ctx) {
      const handle = await ctx.client.workflow.start(singleTaskProcess, {
        taskQueue: ctx.taskQueue,
        workflowId: replayWorkflowId('single-task-completed'),
        args: [{ identity: identity({ searchAttributes: false }), spec: reportTask(inDays(10)) }],
      });
      const taskId = await ctx.openTask(handle.workflowId, 'theTask');
      await ctx.complete(handle, taskId, actors.townAUnit, { summary: 'done' });
      await handle.result();
      return [{ history: 'single-task-completed', workflowId: handle.workflowId }];
    },
  },
  {
    name: 'single-task-overdue-escalated-cancelled',
    histories: ['single-task-overdue-escalated-cancelled'],
    async run(ctx) {
      const handle = await ctx.client.workflow.start(singleTaskProcess, {
        taskQueue: ctx.taskQueue,
        workflowId: replayWorkflowId('single-task-overdue-escalated-cancelled'),
        args: [{ identity: identity({ searchAttributes: false }), spec: reportTask(inDays(-40)) }],
      });
      await waitForTask(ctx, { processId: handle.workflowId, elementId: 'theTask', status: 'open', ...escalatedTwice });
      await handle.executeUpdate(cancelProcessUpdate, { args: [{ actor: actors.cityCaseOfficer, reason: 'withdrawn' }] });
      await handle.result();
      return [{ history: 'single-task-overdue-escalated-cancelled', workflowId: handle.workflowId }];
    },
  },
  {
    // Feedback five months ago: the plan is overdue from the start, so its overdue notice and
    // both escalation steps (interview and case proposals) run at once; the later steps are
    // due in the future and done now.
    name: 'rectification-returned-accepted-closed',
    histories: ['rectification-returned-accepted-closed'],
    async run(ctx) {
      const started = await call(ctx, 'yiwuOfficer', 'POST', '/api/v1/rectifications', {
        targetOrgId: 'futang-pc',
        issuingOrgId: 'yiwu-dic',
        feedbackId: 'replay-feedback-1',
        feedbackDate: addMonths(today(), -5),
        channel: 'faceToFace',
        findings: [
          { title: 'Weak supervision of village cadres', detail: 'Three villages held no democratic-life meeting.' },
          { title: 'Procurement without tender', detail: 'Two contracts above the threshold were awarded directly.' },
        ],
      });
      const processId = started.processId as string;
      const row = (findingId: string, measures: string) => ({ findingId, measures, responsiblePersonId: 'p-futang-pl', targetDate: addMonths(today(), 6) });
      await step(ctx, 'futangUnit', processId, 'planTask', { items: [row('F1', 'hold the meetings'), row('F2', 'look into it')] }, escalatedTwice);
      await step(ctx, 'yiwuOfficer', processId, 'reviewTask', { decision: 'return', reasons: 'the measures for F2 name nothing concrete' });
      await step(ctx, 'futangUnit', processId, 'planTask', { items: [row('F1', 'hold the meetings'), row('F2', 're-tender both contracts')] });
      await step(ctx, 'yiwuOfficer', processId, 'reviewTask', { decision: 'accept' });
      await step(ctx, 'futangUnit', processId, 'progressTask', {
        items: [
          { itemId: 'F1', done: 'meetings held in all villages', evidence: 'minutes', rectified: true },
          { itemId: 'F2', done: 'contracts re-tendered', evidence: 'tender records', rectified: true },
        ],
      });
      await step(ctx, 'yiwuSupervisor', processId, 'closureTask', { decision: 'close', opinion: 'rectified in full' });
      await ended(ctx, processId);
      return [{ history: 'rectification-returned-accepted-closed', workflowId: processId }];
    },
  },
  {
    name: 'interview-problem-signed-received',
    histories: ['interview-problem-signed-received'],
    async run(ctx) {
      const opened = await call(ctx, 'yiwuOfficer', 'POST', '/api/v1/interviews', {
        kind: 'problemInterview',
        subject: { orgId: 'futang-pc', personId: 'p-futang-tm1' },
        reason: 'petitions about land requisition',
      });
      const processId = opened.processId as string;
      await step(ctx, 'futangPl', processId, 'holdInterview', { content: 'Interviewed the team member on the petitions.' });
      await step(ctx, 'futangTm1', processId, 'writeExplanation', { content: 'The requisition notices were posted late; the ledger is now public.' });
      await step(ctx, 'futangPl', processId, 'endorseExplanation', { opinion: 'Read; the facts are as stated. 情况属实。' });
      await step(ctx, 'yiwuOfficer', processId, 'returnToDic', { note: 'received' });
      await ended(ctx, processId);
      return [{ history: 'interview-problem-signed-received', workflowId: processId }];
    },
  },
  {
    // Art. 12(2): the city DIC head's interview ends with rectification demands, which open a
    // rectification of the place as an abandoned child (it runs on; the interview ends).
    name: 'interview-city-dic-head-rectification-opened',
    histories: ['interview-city-dic-head-rectification-opened'],
    async run(ctx) {
      const opened = await call(ctx, 'yiwuOfficer', 'POST', '/api/v1/interviews', {
        kind: 'cityDicHeadInterview',
        subject: { orgId: 'suxi-pc' },
        reason: 'many petitions and low satisfaction',
      });
      const processId = opened.processId as string;
      await step(ctx, 'yiwuDicHead', processId, 'holdInterview', { content: 'Pointed out the petitions backlog.' });
      await step(ctx, 'yiwuDicHead', processId, 'setRectificationDemands', { demands: ['Clear the petitions backlog', 'Publish the land ledger'] });
      await ended(ctx, processId);
      return [{ history: 'interview-city-dic-head-rectification-opened', workflowId: processId }];
    },
  },
  {
    // A severe case: the disciplinary sanction runs as the DIC's child process, the
    // position adjustment as the organisation department's task; both histories recorded.
    name: 'accountability-case-with-disciplinary-child',
    histories: ['accountability-case-severe-closed', 'disciplinary-case-sanction-decided'],
    async run(ctx) {
      const opened = await call(ctx, 'yiwuOfficer', 'POST', '/api/v1/cases', {
        subject: { side: 'pc', kind: 'person', orgId: 'futang-pc', personId: 'p-futang-tm1' },
        grounds: ['14(4)', '14(7)'],
        source: 'petition',
        summary: 'a report of shielded violations',
      });
      const caseId = opened.processId as string;
      await step(ctx, 'futangUnit', caseId, 'submitEvidence', { summary: 'the supervision ledger and meeting minutes' });
      await step(ctx, 'yiwuOfficer', caseId, 'determine', { facts: 'violations were known and not reported', determination: 'severe' });
      await step(ctx, 'yiwuOfficer', caseId, 'decide', { sanctions: ['disciplinarySanction', 'positionAdjustment'], reasoning: 'severe, Art. 16', jointWithDic: true });
      await step(ctx, 'yiwuOrgDept', caseId, 'orgHandling', { summary: 'transferred to a non-leading post' });
      const during = await call(ctx, 'yiwuOfficer', 'GET', `/api/v1/processes/${encodeURIComponent(caseId)}`);
      const childId = (during.details as { children: { disciplinaryCase?: string } }).children.disciplinaryCase;
      if (!childId) throw new Error(`case ${caseId} names no disciplinary child`);
      await step(ctx, 'yiwuOfficer', childId, 'fileCase', { caseNumber: 'YW-REPLAY-001' });
      await step(ctx, 'yiwuOfficer', childId, 'investigate', { findings: 'confirmed' });
      await step(ctx, 'yiwuDicHead', childId, 'decideSanction', { sanction: 'serious intra-party warning 党内严重警告' });
      await ended(ctx, childId);
      await step(ctx, 'yiwuOfficer', caseId, 'closeCase', { summary: 'all measures carried out' });
      await ended(ctx, caseId);
      return [
        { history: 'accountability-case-severe-closed', workflowId: caseId },
        { history: 'disciplinary-case-sanction-decided', workflowId: childId },
      ];
    },
  },
  {
    // A counting duty (at least two analyses a year, Art. 8(2)) enrolled from today: the
    // cycle's first run opens this year's period and continues as new into next year's;
    // the period takes its two records before its due date (31 December) and is met.
    name: 'obligation-counting-duty-met',
    histories: ['obligation-cycle-period-opened', 'obligation-period-counting-met'],
    async run(ctx) {
      const enrolled = await call(ctx, 'admin', 'POST', '/api/v1/obligations/enrol', { orgId: 'futang-pc', codes: ['PM-SPECIAL-ANALYSIS'] });
      const cycleId = 'obligation:futang-pc:PM-SPECIAL-ANALYSIS:p-futang-tm1';
      if (!(enrolled.started as string[]).includes(cycleId)) throw new Error(`${cycleId} not started: ${JSON.stringify(enrolled)}`);
      let periodId: string | undefined;
      for (let i = 0; i < 300 && !periodId; i++) {
        periodId = (await ctx.models.ObligationPeriod.findOne({ cycleId }).lean())?._id;
        if (!periodId) await new Promise((r) => setTimeout(r, 100));
      }
      if (!periodId) throw new Error(`${cycleId} opened no period`);
      await step(ctx, 'futangTm1', periodId, 'submitRecord', { summary: 'Analysis of the land-requisition area', heldOn: today() });
      await step(ctx, 'futangTm1', periodId, 'submitRecord', { summary: 'Analysis of the procurement area', heldOn: today() });
      await ended(ctx, periodId);
      const firstRunId = await firstRunOnceContinued(ctx, cycleId);
      return [
        { history: 'obligation-cycle-period-opened', workflowId: cycleId, runId: firstRunId },
        { history: 'obligation-period-counting-met', workflowId: periodId },
      ];
    },
  },
];

/**
 * The first run of a workflow, once it has ended by continuing as new: the latest run's
 * start names it. (The chain itself never ends, so its result cannot be awaited.)
 */
async function firstRunOnceContinued(ctx: ScenarioContext, workflowId: string): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const history = await ctx.client.workflow.getHandle(workflowId).fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    if (started?.continuedExecutionRunId && started.firstExecutionRunId) return started.firstExecutionRunId;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${workflowId} did not continue as new`);
}

export { completeTaskUpdate };
