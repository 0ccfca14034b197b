import type { Logger } from 'pino';
import {
  type CredentialRequests,
  CredentialRequestRefusedError,
  type CredentialSummary,
  type StoredCredentialRequest,
  bundlesOf,
  summarise,
} from './bundle-credentials';
import type { SyncedApplication } from './sync';

/** `run --request-credentials`: what the loop sends for every synchronised bundle. */
export interface AutoCredentialRequests {
  readonly context?: string;
  readonly inputParams?: string;
}

/**
 * One round of credential requests after a successful synchronisation of `applications`:
 * requests whose bundle left the view are deleted (at the Director, then on disk), the others
 * are followed (PENDING → SUCCEEDED / FAILED, credentials written when delivered), and with
 * `auto` every bundle without a request gets one. `refused` remembers the bundles whose
 * request the Director refused, so they are not asked again every round (until restart).
 */
export async function synchroniseCredentials(
  store: CredentialRequests,
  applications: readonly SyncedApplication[],
  auto: AutoCredentialRequests | undefined,
  refused: Map<string, string>,
  log: Logger,
): Promise<CredentialSummary> {
  const view = bundlesOf(applications);
  const kept: StoredCredentialRequest[] = [];
  for (const request of await store.list()) {
    if (view.get(request.bundleId)?.applicationId === request.applicationId) {
      kept.push(request);
      continue;
    }
    try {
      const outcome = await store.delete(request);
      log.info(
        { authId: request.id, bundleId: request.bundleId, outcome },
        'credential request of a bundle that left the view deleted',
      );
    } catch (err) {
      if (!(err instanceof CredentialRequestRefusedError)) throw err;
      log.warn({ authId: request.id, err: err.message }, 'credential request deletion refused');
      kept.push(request);
    }
  }
  const following = kept.filter((r) => view.has(r.bundleId));
  const current = await store.follow(following);
  const before = new Map(following.map((r) => [r.id, r.status.condition]));
  for (const r of current) {
    if (before.get(r.id) !== r.status.condition)
      log.info(
        { authId: r.id, bundleId: r.bundleId, condition: r.status.condition, reason: r.status.reason },
        'credential request changed',
      );
  }
  const gone = following.filter((r) => !current.some((c) => c.id === r.id));
  for (const r of gone)
    log.info({ authId: r.id, bundleId: r.bundleId }, 'credential request no longer exists');

  for (const id of refused.keys()) if (!view.has(id)) refused.delete(id);
  const skipped = new Map(refused);
  if (auto) {
    const covered = new Set(current.map((r) => r.bundleId));
    for (const bundle of view.values()) {
      if (covered.has(bundle.id) || refused.has(bundle.id)) continue;
      if (bundle.instanceAuthRequestInputSchema && auto.inputParams === undefined) {
        skipped.set(bundle.id, 'the bundle asks for inputParams (--credentials-input-params)');
        continue;
      }
      try {
        const request = await store.request(bundle, auto);
        current.push(request);
        log.info(
          { authId: request.id, bundleId: bundle.id, condition: request.status.condition },
          'credentials requested',
        );
      } catch (err) {
        if (!(err instanceof CredentialRequestRefusedError)) throw err;
        refused.set(bundle.id, err.message);
        skipped.set(bundle.id, err.message);
        log.warn({ bundleId: bundle.id, err: err.message }, 'credential request refused');
      }
    }
  }
  const undeleted = kept.filter((r) => !view.has(r.bundleId));
  return summarise([...current, ...undeleted], skipped);
}
