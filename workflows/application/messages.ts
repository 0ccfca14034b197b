import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Application, ApplicationRegisterInput } from '../../domain/application';
import type { ApplicationUpdateInput } from '../../domain/application-update';

/** Arguments the application workflow is started with. */
export interface ApplicationWorkflowArgs {
  readonly tenantId: string;
  readonly applicationId: string;
  /** Carried across continue-as-new; absent on the first run. */
  readonly application?: Application;
}

export type ApplicationPhase = 'new' | 'registered' | 'unregistered' | 'failed';

/** Registers the application (sent with Update-with-Start); returns it as stored. */
export const registerUpdate = defineUpdate<Application, [ApplicationRegisterInput]>('register');

/** Changes the application's metadata and status; returns it as stored. */
export const updateUpdate = defineUpdate<Application, [ApplicationUpdateInput]>('update');

/** Removes the application's data and ends the workflow; returns the application as it was. */
export const unregisterUpdate = defineUpdate<Application | null, []>('unregister');

/** For operators: the workflow's view of the application. Never on an API read path. */
export const getApplicationQuery = defineQuery<{ phase: ApplicationPhase; application?: Application }>(
  'getApplication',
);
