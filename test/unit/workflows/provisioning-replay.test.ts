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
 * Histories recorded from the first released provisioning workflow must replay on the current
 * code: a local provisioning whose agent connected, its deprovisioning, and a provisioning
 * whose create was retried and whose agent installation ran past its limit and compensated.
 */
describe('provisioningWorkflow replay', () => {
  it.each([
    'provisioning-provision-local.json',
    'provisioning-deprovision-local.json',
    'provisioning-stage-timeout-compensated.json',
  ])('replays %s', async (file) => {
    const json: unknown = JSON.parse(readFileSync(path.join(HISTORIES, file), 'utf8'));
    const history = temporal.api.history.v1.History.fromObject(json as Record<string, unknown>);
    await expect(
      Worker.runReplayHistory(
        { workflowsPath, replayName: file },
        history,
        'provision/tenant/runtime/recorded',
      ),
    ).resolves.toBeUndefined();
  });
});
