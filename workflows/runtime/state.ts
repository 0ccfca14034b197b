import { patched, proxyLocalActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { IdentityStoreActivities } from '../../activities/identity-store';
import type { ProvisioningStoreActivities } from '../../activities/provisioning-store';
import type { RuntimeStoreActivities } from '../../activities/runtime-store';
import { InvalidOperationError } from '../../domain/errors';
import type { Runtime, RuntimeDraft, RuntimeStatusCondition } from '../../domain/runtime';
import { CompassStatusKey } from '../../domain/search-attributes';
import { toApplicationFailure } from '../shared/failures';
import { HandlerLock } from '../shared/lock';
import { STORE_WRITES } from '../shared/local-activities';
import type { RuntimePhase, RuntimeWorkflowArgs } from './messages';

const store = proxyLocalActivities<RuntimeStoreActivities>(STORE_WRITES);
const identityStore = proxyLocalActivities<IdentityStoreActivities>(STORE_WRITES);
const provisioningStore = proxyLocalActivities<ProvisioningStoreActivities>(STORE_WRITES);

/**
 * Unregistration removes the runtime's SystemAuths and client credentials, so its
 * certificates and OAuth credentials stop authenticating (histories before it do not).
 */
const UNREGISTER_DELETES_IDENTITIES = 'unregister-deletes-identities';

/** The runtime entity: its methods are the workflow's message handlers. */
export class RuntimeEntity {
  readonly tenantId: string;
  readonly runtimeId: string;
  phase: RuntimePhase;
  condition?: RuntimeStatusCondition;
  private readonly lock: HandlerLock;

  /** `writes`: the workflow's lock for all its store writes; otherwise the entity's own. */
  constructor(args: RuntimeWorkflowArgs, writes?: HandlerLock) {
    this.lock = writes ?? new HandlerLock();
    this.tenantId = args.tenantId;
    this.runtimeId = args.runtimeId;
    this.condition = args.condition;
    this.phase = args.condition ? 'registered' : 'new';
  }

  get finished(): boolean {
    return this.phase === 'unregistered' || this.phase === 'failed';
  }

  /** Rejects messages to a runtime that is gone, before they reach history. */
  validateAlive(): void {
    if (this.finished) {
      throw toApplicationFailure(
        new InvalidOperationError('runtime is unregistered', { ID: this.runtimeId }),
      );
    }
  }

  /** Stores the runtime once; a repeated registration returns what is stored. */
  register(draft: RuntimeDraft): Promise<Runtime> {
    return this.lock.run(async () => {
      let runtime: Runtime;
      try {
        runtime = await store.insertRuntime(this.tenantId, this.runtimeId, draft, now());
      } catch (err) {
        if (this.phase === 'new') {
          this.phase = 'failed';
          upsertSearchAttributes([{ key: CompassStatusKey, value: 'REGISTRATION_FAILED' }]);
        }
        throw toApplicationFailure(err);
      }
      this.phase = 'registered';
      this.showCondition(runtime.status.condition);
      return runtime;
    });
  }

  /** Replaces the runtime as the API prepared it. */
  update(draft: RuntimeDraft): Promise<Runtime> {
    return this.lock.run(async () => {
      try {
        const runtime = await store.replaceRuntime(this.tenantId, this.runtimeId, draft, now());
        this.phase = 'registered';
        this.showCondition(runtime.status.condition);
        return runtime;
      } catch (err) {
        throw toApplicationFailure(err);
      }
    });
  }

  /** Removes the runtime's data; the workflow ends once this returns. */
  unregister(): Promise<void> {
    return this.lock.run(async () => {
      await store.deleteRuntime(this.tenantId, this.runtimeId);
      if (patched(UNREGISTER_DELETES_IDENTITIES)) {
        await identityStore.deleteObjectIdentities(this.tenantId, this.runtimeId);
      }
      this.phase = 'unregistered';
      upsertSearchAttributes([{ key: CompassStatusKey, value: 'UNREGISTERED' }]);
    });
  }

  /** Sets the status condition alone, as a provisioning outcome decides (FAILED, CONNECTED). */
  setCondition(condition: RuntimeStatusCondition): Promise<void> {
    return this.lock.run(async () => {
      await provisioningStore.setRuntimeCondition(this.tenantId, this.runtimeId, condition, now());
      this.showCondition(condition);
    });
  }

  private showCondition(condition: RuntimeStatusCondition): void {
    this.condition = condition;
    if (workflowInfo().typedSearchAttributes.get(CompassStatusKey) !== condition) {
      upsertSearchAttributes([{ key: CompassStatusKey, value: condition }]);
    }
  }
}

function now(): string {
  return new Date().toISOString();
}
