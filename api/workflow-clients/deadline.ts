import type { Client } from '@temporalio/client';

/**
 * Runs `fn` (calls on `temporal`) with a deadline `timeoutMs` from now: how long an API caller
 * waits for a workflow's answer (REQUEST_TIMEOUT_MS). The workflow goes on after it passes.
 */
export function withDeadline<T>(temporal: Client, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  return temporal.withDeadline(Date.now() + timeoutMs, fn);
}
