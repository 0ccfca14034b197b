import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { AppError } from '../../domain/errors';

/**
 * Converts what an activity or validator threw into an ApplicationFailure the caller can map
 * back to an error code (its `type`). A workflow may fail an update only with this.
 */
export function toApplicationFailure(err: unknown): ApplicationFailure {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) return err.cause;
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof AppError) {
    return ApplicationFailure.create({
      message: err.message,
      type: err.name,
      nonRetryable: true,
      details: [err.details],
    });
  }
  return ApplicationFailure.create({
    message: 'Internal Server Error',
    type: 'InternalError',
    nonRetryable: true,
  });
}
