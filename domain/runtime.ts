import type { Labels } from './labels';
import type { Page } from './pagination';
import { checkLabels } from './labels';
import { FieldErrors, checkKnownKeys, checkName, checkOptionalEnum, checkOptionalString } from './validation';

export const RuntimeStatusCondition = {
  INITIAL: 'INITIAL',
  PROVISIONING: 'PROVISIONING',
  CONNECTED: 'CONNECTED',
  FAILED: 'FAILED',
} as const;
export type RuntimeStatusCondition = (typeof RuntimeStatusCondition)[keyof typeof RuntimeStatusCondition];

export interface RuntimeStatus {
  readonly condition: RuntimeStatusCondition;
  /** ISO-8601 time of the last condition change. */
  readonly timestamp: string;
}

/** A Runtime (a cluster that consumes applications) registered in one tenant. */
export interface Runtime {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly description?: string;
  readonly labels: Labels;
  /** Which of the `scenarios` label's values automatic scenario assignments gave. */
  readonly scenariosFromAssignments: readonly string[];
  readonly status: RuntimeStatus;
  readonly createdAt: string;
}

/** What a caller gives to register a runtime or to replace it (`updateRuntime`). */
export interface RuntimeInput {
  readonly name: string;
  readonly description?: string;
  readonly labels?: Labels;
  readonly statusCondition?: RuntimeStatusCondition;
}

/**
 * A runtime's writable state as the API prepared it (labels validated, automatic scenario
 * assignments applied): what the runtime workflow stores on register and update.
 */
export interface RuntimeDraft {
  readonly name: string;
  readonly description?: string;
  readonly labels: Labels;
  readonly scenariosFromAssignments: readonly string[];
  readonly statusCondition?: RuntimeStatusCondition;
}

/** Label giving the URL of the runtime's event service (set by its agent). */
export const EVENT_SERVICE_URL_LABEL = 'runtime_eventServiceUrl';
/** Label that, set to "false", keeps application names as they are for this runtime. */
export const IS_NORMALIZED_LABEL = 'isNormalized';
/** Suffix of the label `<appId>_defaultEventing` that marks an application's eventing runtime. */
export const DEFAULT_EVENTING_SUFFIX = '_defaultEventing';

/** Labels the Director manages itself: `updateRuntime` keeps them whatever the input says. */
export function isProtectedRuntimeLabel(key: string): boolean {
  return key.endsWith(DEFAULT_EVENTING_SUFFIX);
}

/** The label key marking `runtime` as the default eventing runtime of application `appId`. */
export function defaultEventingLabel(appId: string): string {
  return `${appId}${DEFAULT_EVENTING_SUFFIX}`;
}

const INPUT_KEYS = ['name', 'description', 'labels', 'statusCondition'];

/** Validates a RuntimeInput completely; returns a copy without null fields. */
export function validateRuntimeInput(input: unknown): RuntimeInput {
  const errors = new FieldErrors();
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    errors.add('input', 'must be an object');
    errors.throwIfAny('RuntimeInput');
  }
  const raw = input as Record<string, unknown>;
  checkKnownKeys(errors, raw, INPUT_KEYS);
  checkName(errors, 'name', raw.name);
  checkOptionalString(errors, 'description', raw.description, 2000);
  checkLabels(errors, 'labels', raw.labels);
  checkOptionalEnum(errors, 'statusCondition', raw.statusCondition, Object.values(RuntimeStatusCondition));
  errors.throwIfAny('RuntimeInput');
  const out: Record<string, unknown> = {};
  for (const key of INPUT_KEYS) if (raw[key] !== undefined && raw[key] !== null) out[key] = raw[key];
  return out as unknown as RuntimeInput;
}

/** Input labels plus `isNormalized: "true"` unless the caller chose a value. */
export function withRuntimeDefaults(labels: Labels | undefined): Labels {
  return { [IS_NORMALIZED_LABEL]: 'true', ...labels };
}

/** The runtime a registration produces at time `now` (ISO). */
export function newRuntime(tenantId: string, id: string, draft: RuntimeDraft, now: string): Runtime {
  return {
    id,
    tenantId,
    name: draft.name,
    ...(draft.description !== undefined && { description: draft.description }),
    labels: { ...draft.labels },
    scenariosFromAssignments: [...draft.scenariosFromAssignments],
    status: { condition: draft.statusCondition ?? RuntimeStatusCondition.INITIAL, timestamp: now },
    createdAt: now,
  };
}

/**
 * `current` replaced by `draft` at time `now`: labels the Director protects survive, the
 * status timestamp moves only when the condition changes, and the creation time stays.
 */
export function replaceRuntime(current: Runtime, draft: RuntimeDraft, now: string): Runtime {
  const kept = Object.entries(current.labels).filter(([k]) => isProtectedRuntimeLabel(k));
  const condition = draft.statusCondition ?? current.status.condition;
  return {
    id: current.id,
    tenantId: current.tenantId,
    name: draft.name,
    ...(draft.description !== undefined && { description: draft.description }),
    labels: { ...draft.labels, ...Object.fromEntries(kept) },
    scenariosFromAssignments: [...draft.scenariosFromAssignments],
    status: condition === current.status.condition ? current.status : { condition, timestamp: now },
    createdAt: current.createdAt,
  };
}

/** The runtime's event service URL, or "" when its agent has not reported one. */
export function runtimeEventingURL(runtime: Runtime): string {
  const url = runtime.labels[EVENT_SERVICE_URL_LABEL];
  return typeof url === 'string' ? url : '';
}

/** False only when the runtime asked for raw application names (`isNormalized: "false"`). */
export function wantsNormalizedNames(runtime: Runtime): boolean {
  return runtime.labels[IS_NORMALIZED_LABEL] !== 'false';
}

/** The runtime's scenario names (its `scenarios` label), or none. */
export function scenariosOf(labels: Labels): string[] {
  const value = labels.scenarios;
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Whether two objects' `scenarios` labels name at least one scenario in common. */
export function sharesScenario(a: Labels, b: Labels): boolean {
  const theirs = new Set(scenariosOf(b));
  return scenariosOf(a).some((s) => theirs.has(s));
}

/** A page of runtimes, as the `RuntimePage` GraphQL type returns it. */
export type RuntimePage = Page<Runtime>;
