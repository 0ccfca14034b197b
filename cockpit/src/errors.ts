import type { CombinedError } from 'urql';

/** Compass's error codes (extensions.error_code), as the API sends them. */
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

/** The first error code of a failed operation, when the API sent one. */
export function errorCode(error: CombinedError | undefined): number | undefined {
  const code = error?.graphQLErrors.find((e) => e.extensions?.error_code !== undefined)?.extensions
    ?.error_code;
  return typeof code === 'number' ? code : undefined;
}

/** The API's own message (without urql's "[GraphQL]" prefix), for showing next to the form. */
export function errorMessage(error: CombinedError): string {
  if (error.graphQLErrors.length > 0) return error.graphQLErrors.map((e) => e.message).join('; ');
  return error.networkError ? `The gateway cannot be reached: ${error.networkError.message}` : error.message;
}
