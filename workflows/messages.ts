/**
 * Messages every process workflow answers. Clients (the API, tests) import these
 * objects, never string names.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, TaskOutcome, TaskState } from '../domain/tasks.js';
import type { ElementStates } from '../domain/process-model.js';

export interface ProcessState {
  processId: string;
  processType: string;
  title: string;
  orgId: string;
  status: 'running' | 'completed' | 'cancelled';
  startedAt: string;
  endedAt?: string;
  elements: ElementStates;
  tasks: TaskState[];
  /** Process-specific details (a rectification's items, a case's decision, …). */
  details: Record<string, unknown>;
  cancelReason?: string;
}

export interface CompleteTaskInput {
  taskId: string;
  actor: Actor;
  payload: unknown;
}

export interface CancelProcessInput {
  actor: Actor;
  reason: string;
}

/** A unit completes a step: the validator refuses a wrong payload, actor or state, changing nothing. */
export const completeTaskUpdate = defineUpdate<TaskOutcome, [CompleteTaskInput]>('completeTask');
/** The issuer cancels a process with a reason (the only way one ends besides its own end). */
export const cancelProcessUpdate = defineUpdate<ProcessState, [CancelProcessInput]>('cancelProcess');
export const processStateQuery = defineQuery<ProcessState>('processState');
