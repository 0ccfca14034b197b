import { ApplicationFailure } from '@temporalio/common';
import { AppError } from '../domain/errors';

/**
 * Runs an activity body and turns a domain error into a non-retryable ApplicationFailure
 * whose `type` is the error code name; anything else (network, server) is rethrown as is
 * and retried by Temporal.
 */
export async function withDomainFailures<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof AppError) {
      throw ApplicationFailure.create({
        message: err.message,
        type: err.name,
        nonRetryable: err.name !== 'InternalError',
        details: [err.details],
      });
    }
    throw err;
  }
}
