import type { BaseContext } from '@apollo/server';
import { type FragmentDefinitionNode, Kind, type SelectionSetNode } from 'graphql';
import { InsufficientScopesError, UnauthorizedError } from '../../domain/errors';
import type { OperationCheck } from '../operation-checks';
import { missingScopes, type OperationType, requiredScopes } from './scopes';
import type { RequestIdentity } from './request-identity';

/** Introspection is open to every authenticated caller (the GraphQL IDE needs it). */
const INTROSPECTION = new Set(['__schema', '__type', '__typename']);

/**
 * The one place authorization by scope happens: before execution, every root field of the
 * operation needs the scopes the scope configuration names for it. No identity →
 * Unauthorized (26); missing scopes → InsufficientScopes (23); an operation the
 * configuration does not name is denied. Run first among the operation checks
 * (`operationChecksPlugin`), so a caller lacking scopes learns nothing else about its document.
 */
export function scopeCheck<C extends BaseContext & { identity?: RequestIdentity }>(): OperationCheck<C> {
  return ({ operation, document, contextValue }) => {
    if (!operation) throw new UnauthorizedError('authentication is required');
    const fragments = new Map(
      document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])),
    );
    const fields = rootFields(operation.selectionSet, fragments);
    if (fields.every((f) => INTROSPECTION.has(f)) && contextValue.identity) return;
    if (!contextValue.identity) throw new UnauthorizedError('authentication is required');
    const type = operation.operation as OperationType;
    for (const field of fields) {
      if (INTROSPECTION.has(field)) continue;
      const required = requiredScopes(type, field);
      if (!required) throw new InsufficientScopesError([`${type}.${field}`]);
      if (missingScopes(contextValue.identity.scopes, required).length > 0) {
        throw new InsufficientScopesError(required);
      }
    }
  };
}

/** Root field names, looking through inline fragments and fragment spreads. */
function rootFields(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): string[] {
  return selectionSet.selections.flatMap((s) => {
    if (s.kind === Kind.FIELD) return [s.name.value];
    if (s.kind === Kind.INLINE_FRAGMENT) return rootFields(s.selectionSet, fragments);
    const fragment = fragments.get(s.name.value);
    return fragment ? rootFields(fragment.selectionSet, fragments) : [];
  });
}
