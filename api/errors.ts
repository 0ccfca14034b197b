import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import {
  WorkflowFailedError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  isGrpcServiceError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { AppError, InternalError, isErrorName } from '../domain/errors';

/** Answer for a mutation whose workflow did not finish within the request timeout. */
export class StillRunningError extends AppError {
  constructor() {
    super('InternalError', 'The operation did not complete in time; it goes on in the background');
  }
}

/**
 * Maps anything a resolver threw to a domain error. Temporal failures carry the error code
 * name as their `type`, set by the activity or workflow that raised them.
 */
export function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure && isErrorName(cause.type)) {
      return new AppError(cause.type, cause.message);
    }
    return undefined;
  }
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return new StillRunningError();
  if (isGrpcServiceError(err) && err.code === GrpcStatus.DEADLINE_EXCEEDED) return new StillRunningError();
  return undefined;
}

const CLIENT_INPUT_CODES: readonly string[] = [
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_USER_INPUT,
  ApolloServerErrorCode.BAD_REQUEST,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
];

/**
 * The gateway's single error presenter: `extensions.error` and `extensions.error_code` as in
 * Compass. Unknown errors are logged in full and reach the client without internal detail.
 */
export function createFormatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const unwrapped = unwrapResolverError(error);
    // Errors thrown by plugins (authorization) arrive wrapped in a GraphQLError.
    const original =
      unwrapped instanceof GraphQLError && unwrapped.originalError ? unwrapped.originalError : unwrapped;
    const base = {
      ...(formatted.locations && { locations: formatted.locations }),
      ...(formatted.path && { path: formatted.path }),
    };
    const appError = toAppError(original);
    if (appError) {
      return {
        message: appError.message,
        ...base,
        extensions: { error: appError.name, error_code: appError.code },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_INPUT_CODES.includes(code)) {
      return { message: formatted.message, ...base, extensions: { error: 'InvalidData', error_code: 22 } };
    }
    log.error({ err: original }, 'unexpected error');
    const internal = new InternalError();
    return {
      message: internal.message,
      ...base,
      extensions: { error: internal.name, error_code: internal.code },
    };
  };
}

/**
 * The GraphQL-shaped body of an error answered before GraphQL runs (authentication, unreadable
 * bodies, the internal Connector API), in the same form as formatted GraphQL errors.
 */
export function errorBody(err: AppError): {
  errors: [{ message: string; extensions: { error: string; error_code: number } }];
} {
  return { errors: [{ message: err.message, extensions: { error: err.name, error_code: err.code } }] };
}
