import { randomUUID } from 'node:crypto';
import { Context, sleep } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { ClusterConfig } from '../../domain/provisioning';
import { pairingWorkflowId } from '../../domain/ids';
import { CompassStatusKey, RuntimeIdKey, TenantIdKey } from '../../domain/search-attributes';
import type { SystemAuth } from '../../domain/system-auth';
import { issueTokenUpdate } from '../../workflows/pairing/messages';
import type { pairingWorkflow } from '../../workflows/pairing/workflow';
import type { ClusterRef } from '../../workflows/provisioning/messages';
import { newOneTimeToken } from '../../pki/one-time-token';
import { type AgentEnvironment, type ClusterState, type Provider, ProviderError } from './provider';

export { type Provider, ProviderError } from './provider';

/** How runtime tokens are issued for agents (the Connector's settings). */
export interface AgentTokenSettings {
  /** The Connector's public URL, handed to the agent as CONNECTOR_URL. */
  readonly connectorUrl: string;
  readonly tokenTtlMs: number;
  readonly csrTokenTtlMs: number;
  readonly connectWindowMs: number;
  readonly certificateGraceMs: number;
}

export interface ProviderActivityDeps {
  readonly providers: readonly Provider[];
  readonly agentTokens: AgentTokenSettings;
  readonly systemAuths: { put(auth: SystemAuth): Promise<unknown> };
}

/**
 * Provider calls as activities: each idempotent by operation ID, waits heartbeat and end when
 * cancelled, a ProviderError fails the operation at once, anything else is retried.
 */
export function createProviderActivities(deps: ProviderActivityDeps) {
  const byName = new Map(deps.providers.map((p) => [p.descriptor.name, p]));
  const provider = (config: ClusterConfig | string): Provider => {
    const name = typeof config === 'string' ? config : config.provider;
    const found = byName.get(name);
    if (!found) throw ApplicationFailure.nonRetryable(`unknown provider ${name}`, 'ProviderError');
    return found;
  };
  const issueToken = async (ref: ClusterRef): Promise<AgentEnvironment> => {
    const s = deps.agentTokens;
    const clientId = randomUUID();
    const tokenId = randomUUID();
    await deps.systemAuths.put({
      id: clientId,
      tenantId: ref.tenantId,
      kind: 'RUNTIME',
      referenceObjectId: ref.runtimeId,
      createdAt: new Date().toISOString(),
    });
    const { token, hash } = newOneTimeToken();
    const ctx = Context.current();
    await ctx.client.workflow.executeUpdateWithStart(issueTokenUpdate, {
      startWorkflowOperation: new WithStartWorkflowOperation<typeof pairingWorkflow>('pairingWorkflow', {
        workflowId: pairingWorkflowId(ref.tenantId, clientId, tokenId),
        taskQueue: ctx.info.taskQueue,
        workflowIdConflictPolicy: 'FAIL',
        args: [
          {
            tenantId: ref.tenantId,
            clientId,
            tokenId,
            tokenHash: hash,
            kind: 'RUNTIME',
            objectId: ref.runtimeId,
            tokenTtlMs: s.tokenTtlMs,
            csrTokenTtlMs: s.csrTokenTtlMs,
            connectWindowMs: s.connectWindowMs,
            certificateGraceMs: s.certificateGraceMs,
          },
        ],
        typedSearchAttributes: [
          { key: TenantIdKey, value: ref.tenantId },
          { key: RuntimeIdKey, value: ref.runtimeId },
          { key: CompassStatusKey, value: 'ISSUING' },
        ],
      }),
    });
    return { CONNECTOR_URL: s.connectorUrl, TOKEN: token, RUNTIME_ID: ref.runtimeId, TENANT: ref.tenantId };
  };

  return {
    async createCluster(ref: ClusterRef, config: ClusterConfig): Promise<void> {
      await permanent(() => provider(config).create(ref, config));
    },

    /** Heartbeats every `pollMs` until the cluster reports `want`; ends when cancelled. */
    async awaitCluster(
      ref: ClusterRef,
      config: ClusterConfig,
      want: ClusterState,
      pollMs: number,
    ): Promise<void> {
      const p = provider(config);
      for (;;) {
        const state = await permanent(() => p.status(ref));
        Context.current().heartbeat(state);
        if (state === want) return;
        await sleep(pollMs);
      }
    },

    async installAgent(ref: ClusterRef, config: ClusterConfig, fresh: boolean): Promise<void> {
      await permanent(() =>
        provider(config).installAgent(ref, config, { fresh, issueToken: () => issueToken(ref) }),
      );
    },

    async removeAgent(ref: ClusterRef, config: ClusterConfig): Promise<void> {
      await permanent(() => provider(config).removeAgent(ref));
    },

    async deleteCluster(ref: ClusterRef, config: ClusterConfig): Promise<void> {
      await permanent(() => provider(config).delete(ref));
    },

    async upgradeCluster(ref: ClusterRef, config: ClusterConfig): Promise<void> {
      const p = provider(config);
      if (!p.upgrade)
        throw ApplicationFailure.nonRetryable(`${p.descriptor.name} cannot upgrade`, 'ProviderError');
      await permanent(() => p.upgrade!(ref, config));
    },

    async hibernateCluster(ref: ClusterRef, config: ClusterConfig): Promise<void> {
      const p = provider(config);
      if (!p.hibernate)
        throw ApplicationFailure.nonRetryable(`${p.descriptor.name} cannot hibernate`, 'ProviderError');
      await permanent(() => p.hibernate!(ref));
    },

    async wakeUpCluster(ref: ClusterRef, config: ClusterConfig): Promise<void> {
      const p = provider(config);
      if (!p.wakeUp)
        throw ApplicationFailure.nonRetryable(`${p.descriptor.name} cannot wake up`, 'ProviderError');
      await permanent(() => p.wakeUp!(ref));
    },
  };
}

/** A ProviderError becomes a non-retryable failure; anything else is retried. */
async function permanent<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ProviderError) throw ApplicationFailure.nonRetryable(err.message, 'ProviderError');
    throw err;
  }
}

export type ProviderActivities = ReturnType<typeof createProviderActivities>;
