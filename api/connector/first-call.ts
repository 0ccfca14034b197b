import type { Client } from '@temporalio/client';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { ApplicationStatusCondition } from '../../domain/application';
import { RuntimeStatusCondition } from '../../domain/runtime';
import type { ApplicationRepository } from '../../store/applications';
import type { CertificateRepository } from '../../store/certificates';
import type { RuntimeRepository } from '../../store/runtimes';
import type { CertificateIdentity } from '../auth/certificate-auth';
import { updateApplication } from '../workflow-clients/application';
import { completePairing } from '../workflow-clients/pairing';
import { replaceRunningRuntime } from '../workflow-clients/runtime';

export interface FirstCallDeps {
  readonly temporal: Client;
  readonly certificates: Pick<CertificateRepository, 'getByHashGlobal'>;
  readonly applications: Pick<ApplicationRepository, 'get'>;
  readonly runtimes: Pick<RuntimeRepository, 'get'>;
  readonly requestTimeoutMs: number;
  readonly log: Logger;
}

/** First calls handled at once: a fleet reconnecting together queues here, not in the workflows. */
const CONCURRENT_FIRST_CALLS = 32;

/**
 * The side effects of a system's certificate-authenticated calls (Compass's status
 * middleware): the first one completes the pairing (`connected` signal) and the caller's
 * Application or Runtime becomes CONNECTED, written by the entity's own workflow. Clients
 * already handled are remembered for the life of the process, so later calls cost nothing;
 * a failure is logged and retried on the client's next call. At most 32 run at once; the rest
 * wait their turn (one entry per client).
 */
export class FirstCallRecorder {
  private readonly done = new Set<string>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly limit = pLimit(CONCURRENT_FIRST_CALLS);

  constructor(private readonly deps: FirstCallDeps) {}

  /** Starts the side effects once per client; never rejects. */
  record(identity: CertificateIdentity): Promise<void> {
    if (this.done.has(identity.clientId)) return Promise.resolve();
    let run = this.running.get(identity.clientId);
    if (!run) {
      run = this.limit(() => this.connect(identity))
        .then(() => void this.done.add(identity.clientId))
        .catch((err: unknown) =>
          this.deps.log.warn({ err, clientId: identity.clientId }, 'recording the first call failed'),
        )
        .finally(() => this.running.delete(identity.clientId));
      this.running.set(identity.clientId, run);
    }
    return run;
  }

  private async connect(identity: CertificateIdentity): Promise<void> {
    const record = await this.deps.certificates.getByHashGlobal(identity.certificateHash);
    await this.markConnected(identity);
    if (record?.pairingWorkflowId) await completePairing(this.deps, record.pairingWorkflowId);
  }

  private async markConnected({ kind, tenant, consumerId }: CertificateIdentity): Promise<void> {
    if (kind === 'APPLICATION') {
      const app = await this.deps.applications.get(tenant, consumerId);
      if (!app || app.status.condition === ApplicationStatusCondition.CONNECTED) return;
      const { providerName, description, healthCheckURL, integrationSystemID, baseUrl } = app;
      const input = {
        ...(providerName !== undefined && { providerName }),
        ...(description !== undefined && { description }),
        ...(healthCheckURL !== undefined && { healthCheckURL }),
        ...(integrationSystemID !== undefined && { integrationSystemID }),
        ...(baseUrl !== undefined && { baseUrl }),
        statusCondition: ApplicationStatusCondition.CONNECTED,
      };
      await updateApplication(this.deps, tenant, consumerId, input);
    } else if (kind === 'RUNTIME') {
      const runtime = await this.deps.runtimes.get(tenant, consumerId);
      if (!runtime || runtime.status.condition === RuntimeStatusCondition.CONNECTED) return;
      const draft = {
        name: runtime.name,
        ...(runtime.description !== undefined && { description: runtime.description }),
        labels: runtime.labels,
        scenariosFromAssignments: runtime.scenariosFromAssignments,
        statusCondition: RuntimeStatusCondition.CONNECTED,
      };
      await replaceRunningRuntime(this.deps, tenant, consumerId, draft);
    }
  }
}
