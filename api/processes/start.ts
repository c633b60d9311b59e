/**
 * Starting a process from the API: one business workflow ID per process (so the same
 * trigger cannot start twice: 409), the search attributes supervisors filter on, and
 * the task queue of the workers.
 */
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle, type WorkflowStartOptions } from '@temporalio/client';
import { WorkflowIdReusePolicy, type Workflow } from '@temporalio/common';
import { conflict } from '../http/errors.js';
import { OrgIdKey, OrgPathKey, ProcessTypeKey } from '../../workflows/search-attributes.js';

export interface StartProcessOptions<W extends Workflow> {
  workflowId: string;
  processType: string;
  orgId: string;
  orgPath: string[];
  taskQueue: string;
  args: Parameters<W>;
}

/** The options every process start uses; bench:core's and bench:worker-memory's raw starts use them too, so they measure the same start. */
export function processStartOptions<W extends Workflow>(options: StartProcessOptions<W>): WorkflowStartOptions<W> {
  return {
    workflowId: options.workflowId,
    taskQueue: options.taskQueue,
    args: options.args,
    // A business key names one process for good: a second start is refused even after the first ended.
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    typedSearchAttributes: [
      { key: ProcessTypeKey, value: options.processType },
      { key: OrgIdKey, value: options.orgId },
      { key: OrgPathKey, value: options.orgPath },
    ],
  } as unknown as WorkflowStartOptions<W>;
}

export async function startProcess<W extends Workflow>(temporal: Client, workflow: W, options: StartProcessOptions<W>): Promise<WorkflowHandle<W>> {
  try {
    return await temporal.workflow.start(workflow, processStartOptions(options));
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) throw conflict(`process ${options.workflowId} already exists`, { processId: options.workflowId });
    throw err;
  }
}
