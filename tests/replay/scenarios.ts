/**
 * Scenarios whose workflow histories are recorded into tests/histories/ by
 * `npm run record:histories` and replayed against the current code on every test run
 * (tests/replay/replay.test.ts). Each drives one workflow type through real steps on a
 * real server with the real worker. Add a scenario for every workflow type and path.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Models } from '../../models/index.js';
import { completeTaskUpdate, cancelProcessUpdate } from '../../workflows/messages.js';
import { singleTaskProcess } from '../fixtures/single-task-workflow.js';
import { actors, identity, inDays, reportTask } from '../support/fixtures.js';
import type { Actor } from '../../domain/tasks.js';

export interface ScenarioContext {
  client: Client;
  models: Models;
  taskQueue: string;
  /** Waits until the process has an open task on the element, and returns its ID. */
  openTask(processId: string, elementId: string): Promise<string>;
  complete(handle: WorkflowHandle, taskId: string, actor: Actor, payload: unknown): Promise<void>;
}

/**
 * The workflow ID a scenario records under; the replay uses the same ID, since task IDs
 * (and so update arguments in the history) are derived from it. Recording starts a fresh
 * server each time, so a fixed ID never clashes.
 */
export const replayWorkflowId = (name: string) => `replay-${name}`;

export interface Scenario {
  /** File name under tests/histories/ (without .json). */
  name: string;
  /** Runs the scenario; returns the workflow ID whose history is recorded. */
  run(ctx: ScenarioContext): Promise<string>;
}

export const scenarios: Scenario[] = [
  {
    name: 'single-task-completed',
    async run(ctx) {
      const handle = await ctx.client.workflow.start(singleTaskProcess, {
        taskQueue: ctx.taskQueue,
        workflowId: replayWorkflowId('single-task-completed'),
        args: [{ identity: identity({ searchAttributes: false }), spec: reportTask(inDays(10)) }],
      });
      const taskId = await ctx.openTask(handle.workflowId, 'theTask');
      await ctx.complete(handle, taskId, actors.townAUnit, { summary: 'done' });
      await handle.result();
      return handle.workflowId;
    },
  },
  {
    name: 'single-task-overdue-escalated-cancelled',
    async run(ctx) {
      const handle = await ctx.client.workflow.start(singleTaskProcess, {
        taskQueue: ctx.taskQueue,
        workflowId: replayWorkflowId('single-task-overdue-escalated-cancelled'),
        args: [{ identity: identity({ searchAttributes: false }), spec: reportTask(inDays(-40)) }],
      });
      await ctx.openTask(handle.workflowId, 'theTask');
      await handle.executeUpdate(cancelProcessUpdate, { args: [{ actor: actors.cityCaseOfficer, reason: 'withdrawn' }] });
      await handle.result();
      return handle.workflowId;
    },
  },
];

export { completeTaskUpdate };
