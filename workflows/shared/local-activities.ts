import type { LocalActivityOptions } from '@temporalio/workflow';

/** Retried until MongoDB answers; domain errors are non-retryable and end the retries. */
const UNTIL_DONE = {
  initialInterval: '200 milliseconds',
  maximumInterval: '10 seconds',
  backoffCoefficient: 2,
};

/**
 * Store writes run as local activities: a short idempotent upsert needs no task-queue round
 * trip, so a step completes within one workflow task.
 */
export const STORE_WRITES: LocalActivityOptions = { startToCloseTimeout: '10 seconds', retry: UNTIL_DONE };

/** Token records and certificate signing: short and idempotent, with room for an RSA signature. */
export const TRUST_STEPS: LocalActivityOptions = { startToCloseTimeout: '30 seconds', retry: UNTIL_DONE };
