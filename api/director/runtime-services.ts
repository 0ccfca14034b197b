import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import { ApplicationRepository, type HideSelectors } from '../../store/applications';
import { RuntimeContextRepository } from '../../store/runtime-contexts';
import { RuntimeRepository } from '../../store/runtimes';
import { ScenarioAssignmentRepository } from '../../store/scenario-assignments';
import { EventingService } from './eventing-service';
import type { LabelDefinitionService } from './label-definition-service';
import { RuntimeApplicationsService } from './runtime-applications-service';
import { RuntimeContextService } from './runtime-context-service';
import { RuntimeService } from './runtime-service';
import { ScenarioAssignmentService } from './scenario-assignment-service';

export interface RuntimeServicesDeps {
  readonly db: Db;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly requestTimeoutMs: number;
  readonly hideSelectors: HideSelectors;
  readonly labelDefinitions: LabelDefinitionService;
}

/** The runtime domain's services (runtimes, contexts, assignments, eventing), wired together. */
export function createRuntimeServices(deps: RuntimeServicesDeps) {
  const runtimes = new RuntimeRepository(deps.db);
  const scenarioAssignments = new ScenarioAssignmentService({
    assignments: new ScenarioAssignmentRepository(deps.db),
    runtimes,
    labelDefinitions: deps.labelDefinitions,
  });
  const applications = new ApplicationRepository(deps.db);
  return {
    runtimes: new RuntimeService({
      temporal: deps.temporal,
      taskQueue: deps.taskQueue,
      runtimes,
      labelDefinitions: deps.labelDefinitions,
      assignments: scenarioAssignments,
      requestTimeoutMs: deps.requestTimeoutMs,
    }),
    runtimeContexts: new RuntimeContextService({
      contexts: new RuntimeContextRepository(deps.db),
      runtimes,
      labelDefinitions: deps.labelDefinitions,
    }),
    runtimeApplications: new RuntimeApplicationsService({
      runtimes,
      applications,
      hideSelectors: deps.hideSelectors,
    }),
    scenarioAssignments,
    eventing: new EventingService({ applications, runtimes }),
  };
}
