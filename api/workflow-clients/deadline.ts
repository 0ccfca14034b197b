import type { Client } from '@temporalio/client';

/** What an API call into a running workflow needs: the client and how long the caller waits. */
export interface WorkflowCaller {
  readonly temporal: Client;
  /** How long a caller waits for a workflow's answer (REQUEST_TIMEOUT_MS). */
  readonly requestTimeoutMs: number;
}

/** What starting a workflow needs besides: the task queue its worker polls. */
export interface WorkflowStarter extends WorkflowCaller {
  readonly taskQueue: string;
}

/**
 * Runs `fn` (calls on `temporal`) with a deadline `timeoutMs` from now: how long an API caller
 * waits for a workflow's answer (REQUEST_TIMEOUT_MS). The workflow goes on after it passes.
 */
export function withDeadline<T>(temporal: Client, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  return temporal.withDeadline(Date.now() + timeoutMs, fn);
}
