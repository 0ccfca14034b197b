import type { SpecOwnerKind } from '../../domain/api-definitions';

/** Whose spec to fetch, and from where: the spec fetch workflow's argument. */
export interface SpecFetchTarget {
  readonly kind: SpecOwnerKind;
  readonly tenantId: string;
  readonly applicationId: string;
  readonly ownerId: string;
  /** For the workflow's history; the fetch reads the whole request (auth too) from the store. */
  readonly url: string;
}
