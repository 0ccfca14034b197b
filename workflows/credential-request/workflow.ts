import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import {
  type CredentialRequestArgs,
  deleteUpdate,
  getCredentialRequestQuery,
  requestCreationUpdate,
  requestDeletionUpdate,
  setBundleInstanceAuthUpdate,
} from './messages';
import { CredentialRequest } from './state';

/** How long a started run waits for its first operation (Update-with-Start starts it even when the update is refused). */
const FIRST_OPERATION_WINDOW = '1 hour';

/**
 * One credential request (bundle instance auth), `credentials/<tenant>/<id>`: the single writer
 * of its status. It calls the application's credential-request webhook when there is one
 * (SYNC, ASYNC with polling, or ASYNC_CALLBACK) or waits for setBundleInstanceAuth, Compass's
 * polling path, until the configured timeout. It ends once the request is no longer PENDING;
 * a later operation on it (deletion) starts a new run from the stored request.
 */
export async function credentialRequestWorkflow(args: CredentialRequestArgs): Promise<void> {
  const request = new CredentialRequest(args);

  setHandler(requestCreationUpdate, (input) => request.create(input));
  setHandler(setBundleInstanceAuthUpdate, (input) => request.set(input), {
    validator: (input) => request.validateSet(input),
  });
  setHandler(requestDeletionUpdate, (input) => request.requestDeletion(input), {
    validator: (_input) => request.validateExists(),
  });
  setHandler(deleteUpdate, () => request.delete(), { validator: () => request.validateExists() });
  setHandler(getCredentialRequestQuery, () => ({
    phase: request.phase,
    ...(request.record && {
      condition: request.record.status.condition,
      reason: request.record.status.reason,
    }),
    attempts: request.attempts,
    ...(request.lastOutcome && { lastOutcome: request.lastOutcome }),
  }));

  if (await condition(() => request.phase !== 'new', FIRST_OPERATION_WINDOW)) {
    while (request.pending) {
      await condition(() => !request.busy);
      if (!request.pending) break;
      const job = request.job;
      if (job) {
        request.job = undefined;
        await request.deliver(job);
        continue;
      }
      // Waiting for setBundleInstanceAuth (a new run for a request left PENDING waits afresh).
      request.waitUntil ??= Date.now() + args.settings.pendingTimeoutMs;
      const remaining = request.waitUntil - Date.now();
      if (remaining <= 0 || !(await condition(() => !request.pending, remaining))) {
        await request.finish({
          condition: 'FAILED',
          reason: 'Timeout',
          message: 'The credentials were not provided in time.',
          timestamp: new Date().toISOString(),
        });
      }
    }
  }
  await condition(allHandlersFinished);
}
