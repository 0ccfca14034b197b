import type { Labels } from './labels';
import type { Page } from './pagination';
import { CANNOT_BE_BLANK } from './error-texts';
import { SCENARIOS_KEY } from './label-definitions';
import { FieldErrors, checkKnownKeys } from './validation';

/**
 * Runtimes whose label `key` equals `value` are matched by an assignment. Like Compass, any
 * string is a key; one no label can have (e.g. `test-key`) simply matches no runtime.
 */
export interface LabelSelector {
  readonly key: string;
  readonly value: string;
}

/** An automatic scenario assignment: at most one per scenario in a tenant. */
export interface AutomaticScenarioAssignment {
  readonly tenantId: string;
  readonly scenarioName: string;
  readonly selector: LabelSelector;
}

/** Validates a label selector; `inputName` names the input in the error. */
export function validateLabelSelector(input: unknown, inputName = 'LabelSelectorInput'): LabelSelector {
  const errors = new FieldErrors();
  checkSelector(errors, '', input);
  errors.throwIfAny(inputName);
  const raw = input as Record<string, unknown>;
  return { key: raw.key as string, value: raw.value as string };
}

/** Validates an AutomaticScenarioAssignmentSetInput (the scenario's existence is checked apart). */
export function validateAssignmentInput(input: unknown): { scenarioName: string; selector: LabelSelector } {
  const errors = new FieldErrors();
  const raw = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  checkKnownKeys(errors, raw, ['scenarioName', 'selector']);
  if (typeof raw.scenarioName !== 'string' || raw.scenarioName === '')
    errors.add('scenarioName', CANNOT_BE_BLANK);
  checkSelector(errors, 'selector.', raw.selector);
  errors.throwIfAny('AutomaticScenarioAssignmentSetInput');
  const selector = raw.selector as Record<string, unknown>;
  return {
    scenarioName: raw.scenarioName as string,
    selector: { key: selector.key as string, value: selector.value as string },
  };
}

function checkSelector(errors: FieldErrors, prefix: string, input: unknown): void {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return errors.add(prefix ? prefix.slice(0, -1) : 'selector', 'must be an object');
  }
  const raw = input as Record<string, unknown>;
  checkKnownKeys(errors, raw, ['key', 'value']);
  if (typeof raw.key !== 'string') errors.add(`${prefix}key`, 'must be a string');
  if (typeof raw.value !== 'string') errors.add(`${prefix}value`, 'must be a string');
}

/** The scenarios that `assignments` give to an object with these labels. */
export function assignedScenarios(
  labels: Labels,
  assignments: readonly AutomaticScenarioAssignment[],
): string[] {
  return assignments
    .filter((a) => Object.hasOwn(labels, a.selector.key) && labels[a.selector.key] === a.selector.value)
    .map((a) => a.scenarioName);
}

/** A runtime's labels and the part of its scenarios that came from assignments. */
export interface AssignedLabels {
  readonly labels: Labels;
  readonly scenariosFromAssignments: string[];
}

/**
 * Recomputes the `scenarios` label as `(current − previousFromAssignments) ∪ fromAssignments`:
 * assigned scenarios win over what a user set, and an empty result removes the label.
 */
export function applyAssignments(
  labels: Labels,
  previousFromAssignments: readonly string[],
  assignments: readonly AutomaticScenarioAssignment[],
): AssignedLabels {
  const fromAssignments = assignedScenarios(labels, assignments);
  const current = labels[SCENARIOS_KEY];
  const kept = Array.isArray(current)
    ? current.filter((s) => typeof s !== 'string' || !previousFromAssignments.includes(s))
    : current === undefined
      ? []
      : [current];
  const scenarios = [...new Set([...kept, ...fromAssignments])];
  const out: Labels = { ...labels };
  if (scenarios.length === 0) delete out[SCENARIOS_KEY];
  else out[SCENARIOS_KEY] = scenarios;
  return { labels: out, scenariosFromAssignments: fromAssignments };
}

/** A page of assignments, as the `AutomaticScenarioAssignmentPage` GraphQL type returns it. */
export type AutomaticScenarioAssignmentPage = Page<AutomaticScenarioAssignment>;
