import type { Client } from '@temporalio/client';
import type { FetchRequestStatus } from '../../domain/api-definitions';
import type { APIDefinition, Document, EventDefinition } from '../../domain/bundle';
import type { SpecFetchTarget } from '../../workflows/spec-fetch/messages';
import { runSpecFetch } from '../workflow-clients/spec-fetch';

export interface SpecFetcherDeps {
  readonly temporal: Client;
  readonly taskQueue: string;
  /** How long a mutation waits for the fetch's workflow. */
  readonly requestTimeoutMs: number;
}

/** The fetch targets of definitions and documents that have a fetch request. */
export function fetchTargets(
  tenantId: string,
  items: {
    apiDefinitions?: readonly APIDefinition[];
    eventDefinitions?: readonly EventDefinition[];
    documents?: readonly Document[];
  },
): SpecFetchTarget[] {
  const targets: SpecFetchTarget[] = [];
  for (const a of items.apiDefinitions ?? []) {
    if (a.spec?.fetchRequest)
      targets.push({
        kind: 'api',
        tenantId,
        applicationId: a.applicationId,
        ownerId: a.id,
        url: a.spec.fetchRequest.url,
      });
  }
  for (const e of items.eventDefinitions ?? []) {
    if (e.spec?.fetchRequest)
      targets.push({
        kind: 'event',
        tenantId,
        applicationId: e.applicationId,
        ownerId: e.id,
        url: e.spec.fetchRequest.url,
      });
  }
  for (const d of items.documents ?? []) {
    if (d.fetchRequest)
      targets.push({
        kind: 'document',
        tenantId,
        applicationId: d.applicationId,
        ownerId: d.id,
        url: d.fetchRequest.url,
      });
  }
  return targets;
}

/**
 * Runs spec fetches through the spec fetch workflow and waits for their stored status, so a
 * mutation answers with the final fetch status. A fetch already running for the same spec is
 * joined rather than duplicated.
 */
export class SpecFetcher {
  constructor(private readonly deps: SpecFetcherDeps) {}

  run(target: SpecFetchTarget): Promise<FetchRequestStatus> {
    return runSpecFetch(this.deps, target);
  }

  /** Runs every fetch concurrently and waits for all of them. */
  async runAll(targets: readonly SpecFetchTarget[]): Promise<void> {
    await Promise.all(targets.map((t) => this.run(t)));
  }
}
