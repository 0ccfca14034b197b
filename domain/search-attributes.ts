import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes every workflow sets, so an operator can filter processes by
 * tenant, application, runtime or status in the Temporal Web UI.
 */
export const TenantIdKey = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const ApplicationIdKey = defineSearchAttributeKey('ApplicationId', SearchAttributeType.KEYWORD);
export const RuntimeIdKey = defineSearchAttributeKey('RuntimeId', SearchAttributeType.KEYWORD);
export const CompassStatusKey = defineSearchAttributeKey('CompassStatus', SearchAttributeType.KEYWORD);
/** A runtime's health (HEALTHY, DEGRADED, UNREACHABLE, UNKNOWN), upserted on transitions only. */
export const RuntimeHealthKey = defineSearchAttributeKey('RuntimeHealth', SearchAttributeType.KEYWORD);
/** A provisioning operation's type (Provision, Deprovision, ...), set when it starts. */
export const OperationTypeKey = defineSearchAttributeKey('OperationType', SearchAttributeType.KEYWORD);

/** Every custom attribute, for registration at server start. */
export const SEARCH_ATTRIBUTE_KEYS = [
  TenantIdKey,
  ApplicationIdKey,
  RuntimeIdKey,
  CompassStatusKey,
  RuntimeHealthKey,
  OperationTypeKey,
] as const;
