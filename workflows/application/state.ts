import { proxyLocalActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { StoreActivities } from '../../activities/store';
import {
  type Application,
  type ApplicationRegisterInput,
  newApplication,
  validateApplicationRegisterInput,
} from '../../domain/application';
import { InvalidOperationError } from '../../domain/errors';
import { CompassStatusKey } from '../../domain/search-attributes';
import { toApplicationFailure } from '../shared/failures';
import { HandlerLock } from '../shared/lock';
import type { ApplicationPhase, ApplicationWorkflowArgs } from './messages';

/**
 * Store writes run as local activities: a short idempotent upsert needs no task-queue round
 * trip, so a registration completes within one workflow task. They retry until MongoDB
 * answers; domain errors are final.
 */
const store = proxyLocalActivities<StoreActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds', backoffCoefficient: 2 },
});

/** The application entity: its handlers are the workflow's message handlers. */
export class ApplicationEntity {
  readonly tenantId: string;
  readonly applicationId: string;
  phase: ApplicationPhase;
  application?: Application;
  private readonly lock = new HandlerLock();

  constructor(args: ApplicationWorkflowArgs) {
    this.tenantId = args.tenantId;
    this.applicationId = args.applicationId;
    this.application = args.application;
    this.phase = args.application ? 'registered' : 'new';
  }

  get finished(): boolean {
    return this.phase === 'unregistered' || this.phase === 'failed';
  }

  /** Rejects a registration before it reaches history. */
  validateRegister(input: ApplicationRegisterInput): void {
    try {
      if (this.finished)
        throw new InvalidOperationError('application is unregistered', { ID: this.applicationId });
      if (this.phase === 'new') validateApplicationRegisterInput(input);
    } catch (err) {
      throw toApplicationFailure(err);
    }
  }

  /** Stores the application once; a repeated registration returns what is stored. */
  register(input: ApplicationRegisterInput): Promise<Application> {
    return this.lock.run(async () => {
      if (this.application) return this.application;
      const app = newApplication(this.tenantId, this.applicationId, input, new Date().toISOString());
      try {
        this.application = await store.putApplication(app);
      } catch (err) {
        this.phase = 'failed';
        upsertSearchAttributes([{ key: CompassStatusKey, value: 'REGISTRATION_FAILED' }]);
        throw toApplicationFailure(err);
      }
      this.phase = 'registered';
      // The starter already set CompassStatus to the condition it asked for; upsert only a change.
      if (workflowInfo().typedSearchAttributes.get(CompassStatusKey) !== app.status.condition) {
        upsertSearchAttributes([{ key: CompassStatusKey, value: app.status.condition }]);
      }
      return this.application;
    });
  }

  /** Removes the application's data; the workflow ends once this returns. */
  unregister(): Promise<Application | null> {
    return this.lock.run(async () => {
      const removed = this.application ?? null;
      await store.deleteApplication(this.tenantId, this.applicationId);
      this.phase = 'unregistered';
      upsertSearchAttributes([{ key: CompassStatusKey, value: 'UNREGISTERED' }]);
      return removed;
    });
  }
}
