import { InvalidDataError, NotFoundError } from '../../domain/errors';
import { isLabelKey, type Labels } from '../../domain/labels';
import { parsePageRequest } from '../../domain/pagination';
import type { Runtime } from '../../domain/runtime';
import {
  type AssignedLabels,
  type AutomaticScenarioAssignment,
  type AutomaticScenarioAssignmentPage,
  applyAssignments,
  validateAssignmentInput,
  validateLabelSelector,
} from '../../domain/scenario-assignment';
import type { RuntimeRepository } from '../../store/runtimes';
import type { ScenarioAssignmentRepository } from '../../store/scenario-assignments';
import type { LabelDefinitionService } from './label-definition-service';

export interface ScenarioAssignmentServiceDeps {
  readonly assignments: ScenarioAssignmentRepository;
  readonly runtimes: RuntimeRepository;
  readonly labelDefinitions: LabelDefinitionService;
}

/**
 * Automatic scenario assignments (ASA): each gives its scenario to every runtime whose label
 * `selector.key` equals `selector.value`, and keeps it there while the label matches. The
 * runtime remembers which scenarios came from assignments, so their removal is exact.
 */
export class ScenarioAssignmentService {
  constructor(private readonly deps: ScenarioAssignmentServiceDeps) {}

  list(
    tenantId: string,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<AutomaticScenarioAssignmentPage> {
    return this.deps.assignments.page(tenantId, parsePageRequest(first, after));
  }

  forScenario(tenantId: string, scenarioName: string): Promise<AutomaticScenarioAssignment | undefined> {
    return this.deps.assignments.get(tenantId, scenarioName);
  }

  forSelector(tenantId: string, rawSelector: unknown): Promise<AutomaticScenarioAssignment[]> {
    return this.deps.assignments.forSelector(tenantId, validateLabelSelector(rawSelector));
  }

  /** Creates the assignment (one per existing scenario), then gives the scenario to matching runtimes. */
  async create(tenantId: string, rawInput: unknown): Promise<AutomaticScenarioAssignment> {
    const input = validateAssignmentInput(rawInput);
    if (!(await this.deps.labelDefinitions.scenarios(tenantId)).includes(input.scenarioName)) {
      throw new InvalidDataError('AutomaticScenarioAssignmentSetInput', {
        scenarioName: 'is not a scenario of the tenant',
      });
    }
    const created = await this.deps.assignments.insert({ tenantId, ...input });
    const { key, value } = input.selector;
    if (isLabelKey(key))
      await this.reapply(tenantId, await this.deps.runtimes.findByLabel(tenantId, key, value));
    return created;
  }

  /** Deletes the scenario's assignment and takes the scenario back from the runtimes it gave it to. */
  async deleteForScenario(tenantId: string, scenarioName: string): Promise<AutomaticScenarioAssignment> {
    const existing = await this.deps.assignments.get(tenantId, scenarioName);
    if (!existing) throw new NotFoundError('automaticScenarioAssignment', scenarioName);
    await this.deps.assignments.delete(tenantId, scenarioName);
    await this.reapply(tenantId, await this.deps.runtimes.findAssigned(tenantId, scenarioName));
    return existing;
  }

  /** Deletes every assignment with this selector; returns them (none is not an error). */
  async deleteForSelector(tenantId: string, rawSelector: unknown): Promise<AutomaticScenarioAssignment[]> {
    const found = await this.deps.assignments.forSelector(tenantId, validateLabelSelector(rawSelector));
    for (const a of found) await this.deps.assignments.delete(tenantId, a.scenarioName);
    const affected = new Map<string, Runtime>();
    for (const a of found) {
      for (const r of await this.deps.runtimes.findAssigned(tenantId, a.scenarioName)) affected.set(r.id, r);
    }
    await this.reapply(tenantId, [...affected.values()]);
    return found;
  }

  /** `labels` with the tenant's assignments applied, given which scenarios they gave before. */
  async assign(tenantId: string, labels: Labels, previous: readonly string[]): Promise<AssignedLabels> {
    return applyAssignments(labels, previous, await this.deps.assignments.all(tenantId));
  }

  private async reapply(tenantId: string, runtimes: readonly Runtime[]): Promise<void> {
    if (runtimes.length === 0) return;
    const all = await this.deps.assignments.all(tenantId);
    for (const r of runtimes) {
      const next = applyAssignments(r.labels, r.scenariosFromAssignments, all);
      await this.deps.runtimes.setLabels(tenantId, r.id, next.labels, next.scenariosFromAssignments);
    }
  }
}
