import type {
  ApolloServerPlugin,
  BaseContext,
  GraphQLRequestContextDidResolveOperation,
} from '@apollo/server';
import { GraphQLError } from 'graphql';
import { AppError, type ErrorName } from '../domain/errors';

/** A check of the operation about to run; throws an `AppError` to refuse it. */
export type OperationCheck<C extends BaseContext> = (
  request: GraphQLRequestContextDidResolveOperation<C>,
) => void;

/** The HTTP status of a refusal before execution: the request was not served, and why. */
const STATUS: Partial<Record<ErrorName, number>> = {
  Unauthorized: 401,
  InsufficientScopes: 403,
  InternalError: 500,
};

/**
 * Runs `checks` in order once the operation is known and valid, before anything executes: the
 * first to throw answers the request, so a later check never decides for a request an earlier
 * one refused (the scope check comes before the query limits, and an unauthorized caller learns
 * only that). A refusal keeps its error code and gets an HTTP status: 401 Unauthorized,
 * 403 InsufficientScopes, 400 for the rest.
 */
export function operationChecksPlugin<C extends BaseContext>(
  ...checks: readonly OperationCheck<C>[]
): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(request) {
          try {
            for (const check of checks) check(request);
          } catch (err) {
            if (!(err instanceof AppError)) throw err;
            throw new GraphQLError(err.message, {
              originalError: err,
              extensions: { http: { status: STATUS[err.name] ?? 400 } },
            });
          }
        },
      };
    },
  };
}
