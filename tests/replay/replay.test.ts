/**
 * Every recorded history in tests/histories/ replays against the current workflow code:
 * a change that would break running processes (non-determinism) fails here.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { repoRoot } from '../../scripts/lib/services.js';
import { allWorkflowsPath } from '../support/fixtures.js';
import { scenarios } from './scenarios.js';
import * as workflows from '../../workflows/index.js';

const dir = path.join(repoRoot, 'tests/histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const names = files.map((f) => f.replace(/\.json$/, ''));

/** The workflow type a history starts (its first event names it). */
function workflowTypeOf(history: { events: Array<{ workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } } }> }): string | undefined {
  return history.events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
}
const read = (name: string) => JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8')) as Parameters<typeof workflowTypeOf>[0];

describe('replay: recorded histories replay against the current code', () => {
  it('when the histories are listed, then every scenario has its histories recorded, each with its workflow ID', () => {
    expect([...names].sort()).toEqual(scenarios.flatMap((s) => s.histories).sort());
    expect(names.filter((n) => !existsSync(path.join(dir, `${n}.workflow-id`)))).toEqual([]);
  });

  it('when the histories are listed, then every workflow type of workflows/index.ts has at least one', () => {
    const recordedTypes = new Set(names.map((n) => workflowTypeOf(read(n))));
    expect(Object.keys(workflows).filter((type) => !recordedTypes.has(type))).toEqual([]);
  });

  it.each(names)('when %s is replayed, then it replays without non-determinism', async (name) => {
    // The worker accepts the JSON form (as the CLI and the Web UI write it) and converts it itself.
    const history: unknown = read(name);
    const workflowId = readFileSync(path.join(dir, `${name}.workflow-id`), 'utf8').trim();
    await expect(Worker.runReplayHistory({ workflowsPath: allWorkflowsPath, replayName: name }, history, workflowId)).resolves.toBeUndefined();
  });
});
