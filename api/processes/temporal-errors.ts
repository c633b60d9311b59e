/**
 * Maps what Temporal says about an update or query to the API's error format: an update
 * validator's rejection type becomes 400/403/404/409/422; a process that is gone or
 * closed is 404/409. Anything else is a real fault and stays a 500.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TaskRejection } from '../../domain/tasks.js';
import { ApiError } from '../http/errors.js';

export function toApiError(err: unknown): unknown {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const failure = err.cause;
    const details = failure.details?.[0];
    switch (failure.type) {
      case TaskRejection.invalidPayload:
        return new ApiError('invalid_input', failure.message, details);
      case TaskRejection.wrongActor:
        return new ApiError('forbidden', failure.message);
      case TaskRejection.notFound:
        return new ApiError('not_found', failure.message);
      case TaskRejection.notOpen:
        return new ApiError('conflict', failure.message);
      case TaskRejection.ruleViolation:
        return new ApiError('unprocessable', failure.message, details);
    }
  }
  if (err instanceof WorkflowNotFoundError) return new ApiError('not_found', 'process not found');
  if (isClosedWorkflowError(err)) return new ApiError('conflict', 'the process is no longer running');
  return err;
}

function isClosedWorkflowError(err: unknown): boolean {
  const message = err instanceof Error ? err.message : '';
  return /workflow execution already completed|workflow execution is already completed/i.test(message);
}
