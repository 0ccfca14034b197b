import { readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { workflowsPath } from '../../../workers/worker';

try {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
} catch {
  // installed by another test file in this jest worker
}

const HISTORIES = path.join(__dirname, '..', '..', 'fixtures', 'histories');

/**
 * Histories recorded from earlier credential-request workflows must replay on the current code:
 * the first release (its first SYNC call an activity task) and the one-step opening (lookup,
 * first SYNC attempt and store in one local activity).
 */
describe('credentialRequestWorkflow replay', () => {
  it.each([
    'credential-request-sync.json',
    'credential-request-sync-retried.json',
    'credential-request-async-polled.json',
    'credential-request-set-by-application.json',
    'credential-request-sync-one-step.json',
    'credential-request-sync-one-step-retried.json',
    'credential-request-opened-at-start.json',
    'credential-request-opened-at-start-retried.json',
    'credential-request-opened-at-start-callback.json',
  ])('replays %s', async (file) => {
    const json: unknown = JSON.parse(readFileSync(path.join(HISTORIES, file), 'utf8'));
    const history = temporal.api.history.v1.History.fromObject(json as Record<string, unknown>);
    await expect(
      Worker.runReplayHistory({ workflowsPath, replayName: file }, history, 'credentials/tenant/recorded'),
    ).resolves.toBeUndefined();
  });
});
