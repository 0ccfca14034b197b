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
 * Histories recorded from released versions of the runtime workflow (before it kept the health
 * lease) must replay on the current code.
 */
describe('runtimeWorkflow replay', () => {
  it.each(['runtime-register-update-unregister.json'])('replays %s', async (file) => {
    const json: unknown = JSON.parse(readFileSync(path.join(HISTORIES, file), 'utf8'));
    const history = temporal.api.history.v1.History.fromObject(json as Record<string, unknown>);
    await expect(
      Worker.runReplayHistory({ workflowsPath, replayName: file }, history, 'runtime/tenant-a/recorded'),
    ).resolves.toBeUndefined();
  });
});
