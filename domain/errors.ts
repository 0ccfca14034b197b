/**
 * Error codes shared by every API, activity and workflow. The numbers and names are
 * Compass's, so its clients can keep matching on `extensions.error_code`.
 */
export const ErrorCode = {
  InternalError: 10,
  NotFound: 20,
  NotUnique: 21,
  InvalidData: 22,
  InsufficientScopes: 23,
  TenantRequired: 24,
  TenantNotFound: 25,
  Unauthorized: 26,
  InvalidOperation: 27,
} as const;
export type ErrorName = keyof typeof ErrorCode;

/** Key/value context appended to a message in Compass's format: `message [k=v; k=v]`. */
export type ErrorDetails = Readonly<Record<string, string>>;

/** Formats a message the way Compass does, so clients that match on it keep working. */
export function formatErrorMessage(message: string, details: ErrorDetails = {}): string {
  const pairs = Object.entries(details).map(([k, v]) => `${k}=${v}`);
  return pairs.length === 0 ? message : `${message} [${pairs.join('; ')}]`;
}

/** Base of every expected (operational) error; `name` is the error code's name. */
export class AppError extends Error {
  override readonly name: ErrorName;
  readonly code: number;
  readonly details: ErrorDetails;

  constructor(name: ErrorName, message: string, details: ErrorDetails = {}) {
    super(formatErrorMessage(message, details));
    this.name = name;
    this.code = ErrorCode[name];
    this.details = details;
  }
}

/** Thrown when an object does not exist in the caller's tenant (or at all). */
export class NotFoundError extends AppError {
  constructor(object: string, id: string) {
    super('NotFound', 'Object not found', { object, ID: id });
  }
}

/** Thrown when a create or rename would duplicate a name that must be unique. */
export class NotUniqueError extends AppError {
  constructor(object: string) {
    super('NotUnique', 'Object name is not unique', { object });
  }
}

/** Thrown when input fails validation; details map each field to what is wrong with it. */
export class InvalidDataError extends AppError {
  constructor(inputName: string, fieldErrors: ErrorDetails) {
    super('InvalidData', inputName ? `Invalid data ${inputName}` : 'Invalid data', fieldErrors);
  }
}

/** Thrown when a tenant-scoped operation is called without a tenant. */
export class TenantRequiredError extends AppError {
  constructor() {
    super('TenantRequired', 'Tenant is required');
  }
}

/** Thrown when the named tenant does not exist and may not be created. */
export class TenantNotFoundError extends AppError {
  constructor(tenant: string) {
    super('TenantNotFound', 'Tenant not found', { externalTenant: tenant });
  }
}

/** Thrown when the caller could not be identified. */
export class UnauthorizedError extends AppError {
  constructor(reason: string) {
    super('Unauthorized', reason);
  }
}

/** Thrown when the caller is identified but lacks a scope the operation needs. */
export class InsufficientScopesError extends AppError {
  constructor(required: readonly string[]) {
    super('InsufficientScopes', 'insufficient scopes provided', { required: required.join(',') });
  }
}

/**
 * Thrown when an operation is not allowed in the object's current state. Reads as Compass's:
 * `The operation is not allowed [reason=<reason>]`, any details after the reason.
 */
export class InvalidOperationError extends AppError {
  constructor(reason: string, details: ErrorDetails = {}) {
    super('InvalidOperation', 'The operation is not allowed', { reason, ...details });
  }
}

/** Thrown for failures the caller cannot fix; the message never carries internal detail. */
export class InternalError extends AppError {
  constructor(message = 'Internal Server Error') {
    super('InternalError', message);
  }
}

/** True when `name` is one of the error code names (used to map failure types back). */
export function isErrorName(name: unknown): name is ErrorName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(ErrorCode, name);
}

/** The error names a workflow must never retry: the input or state is wrong, not the network. */
export const NON_RETRYABLE_ERROR_NAMES: readonly ErrorName[] = (Object.keys(ErrorCode) as ErrorName[]).filter(
  (n) => n !== 'InternalError',
);
