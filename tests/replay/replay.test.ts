/**
 * Every recorded history in tests/histories/ replays against the current workflow code:
 * a change that would break running processes (non-determinism) fails here.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { repoRoot } from '../../scripts/lib/services.js';
import { allWorkflowsPath } from '../support/fixtures.js';
import { replayWorkflowId, scenarios } from './scenarios.js';

const dir = path.join(repoRoot, 'tests/histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('replay: recorded histories replay against the current code', () => {
  it('when the histories are listed, then every scenario has one recorded', () => {
    expect(files.map((f) => f.replace(/\.json$/, '')).sort()).toEqual(scenarios.map((s) => s.name).sort());
  });

  it.each(files)('when %s is replayed, then it replays without non-determinism', async (file) => {
    // The worker accepts the JSON form (as the CLI and the Web UI write it) and converts it itself.
    const history: unknown = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    const workflowId = replayWorkflowId(file.replace(/\.json$/, ''));
    await expect(Worker.runReplayHistory({ workflowsPath: allWorkflowsPath, replayName: file }, history, workflowId)).resolves.toBeUndefined();
  });
});
