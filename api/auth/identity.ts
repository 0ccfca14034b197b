/**
 * Who a request acts for, after authentication. The kinds are Compass's consumer types, so
 * per-kind rules (runtimes see only their scenarios, default scopes per kind) read the same.
 */
export const ConsumerKind = {
  User: 'USER',
  IntegrationSystem: 'INTEGRATION_SYSTEM',
  Application: 'APPLICATION',
  Runtime: 'RUNTIME',
} as const;
export type ConsumerKind = (typeof ConsumerKind)[keyof typeof ConsumerKind];

/** The kinds that are systems rather than people; each has default scopes in scopes.json. */
export type SystemKind = Exclude<ConsumerKind, 'USER'>;

/** The authenticated caller: what the gateway puts in every request's context. */
export interface UserIdentity {
  readonly kind: ConsumerKind;
  /** The caller's id: a user name, or the id of the application, runtime or integration system. */
  readonly consumerId: string;
  /** The tenant the token was issued for, when it names one. */
  readonly tenant?: string;
  readonly scopes: readonly string[];
}

/** The `consumerType` claim values Compass's tenant-mapping hydrator writes into its tokens. */
const kindByConsumerType: ReadonlyMap<string, ConsumerKind> = new Map([
  ['Static User', ConsumerKind.User],
  ['Integration System', ConsumerKind.IntegrationSystem],
  ['Application', ConsumerKind.Application],
  ['Runtime', ConsumerKind.Runtime],
]);

/**
 * Maps a `consumerType` claim to a kind: an absent claim means a user (tokens from a plain
 * OIDC issuer carry none); an unknown value is `undefined`, so the caller can refuse it rather
 * than guess.
 */
export function consumerKindFromClaim(consumerType: string | undefined): ConsumerKind | undefined {
  return consumerType === undefined ? ConsumerKind.User : kindByConsumerType.get(consumerType);
}
