import { allHandlersFinished, condition, continueAsNew, setHandler } from '@temporalio/workflow';
import {
  type CredentialRequestArgs,
  deleteUpdate,
  discardSignal,
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
 * polling path, until the configured timeout; a deletion request calls the application's
 * deletion webhook the same way. It ends once nothing is left to do; a later operation on it
 * starts a new run from the stored request. A long ASYNC poll continues as new.
 */
export async function credentialRequestWorkflow(args: CredentialRequestArgs): Promise<void> {
  const request = new CredentialRequest(args);
  // Opened before the handlers are set: requestCreation, dispatched as its handler is, answers with it.
  const opening = args.creation && request.open(args.creation);

  setHandler(requestCreationUpdate, (input) => request.create(input));
  setHandler(setBundleInstanceAuthUpdate, (input) => request.set(input), {
    validator: (input) => request.validateSet(input),
  });
  setHandler(requestDeletionUpdate, (input) => request.requestDeletion(input), {
    validator: (_input) => request.validateExists(),
  });
  setHandler(deleteUpdate, () => request.delete(), { validator: () => request.validateExists() });
  setHandler(discardSignal, () => request.discard());
  setHandler(getCredentialRequestQuery, () => ({
    phase: request.phase,
    ...(request.record && {
      condition: request.record.status.condition,
      reason: request.record.status.reason,
    }),
    attempts: request.attempts,
    ...(request.lastOutcome && { lastOutcome: request.lastOutcome }),
  }));

  if (opening) {
    try {
      await opening;
    } catch {
      // requestCreation answers with the failure; nothing was stored.
      await condition(allHandlersFinished);
      return;
    }
  } else if (!(await condition(() => request.phase !== 'new', FIRST_OPERATION_WINDOW))) {
    await condition(allHandlersFinished);
    return;
  }
  do {
    await run(request, args);
    if (!allHandlersFinished()) await condition(allHandlersFinished);
    // A handler may have queued a delivery (a deletion) after the loop ended.
  } while (request.hasWork);
  const carried = request.carried;
  if (carried && request.live(carried)) {
    const { creation: _opened, ...rest } = args;
    await continueAsNew<typeof credentialRequestWorkflow>({
      ...rest,
      record: request.record!,
      resume: { delivery: carried, attempts: request.attempts },
    });
  }
}

/** Runs the request's deliveries and waits for setBundleInstanceAuth while it is PENDING. */
async function run(request: CredentialRequest, args: CredentialRequestArgs): Promise<void> {
  for (;;) {
    if (request.busy) await condition(() => !request.busy);
    if (request.carried) return;
    const job = request.takeJob();
    if (job) {
      await request.deliver(job);
      continue;
    }
    if (!request.pending) return;
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
