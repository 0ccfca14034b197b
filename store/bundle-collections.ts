import type { Db } from 'mongodb';

export const BUNDLES = 'bundles';
export const API_DEFINITIONS = 'api_definitions';
export const EVENT_DEFINITIONS = 'event_definitions';
export const DOCUMENTS = 'documents';

/** Indexes of bundles and their children; each leads with tenantId. */
export async function ensureBundleIndexes(db: Db): Promise<void> {
  await db.collection(BUNDLES).createIndex({ tenantId: 1, applicationId: 1, _id: 1 }, { name: 'tenant_app' });
  for (const name of [API_DEFINITIONS, EVENT_DEFINITIONS, DOCUMENTS]) {
    await db.collection(name).createIndex({ tenantId: 1, bundleId: 1, _id: 1 }, { name: 'tenant_bundle' });
    await db.collection(name).createIndex({ tenantId: 1, applicationId: 1 }, { name: 'tenant_app' });
  }
}

/** Every optional field of bundles and their children, unset when a replacement omits it. */
export const BUNDLE_OPTIONAL_FIELDS: readonly string[] = [
  'description',
  'instanceAuthRequestInputSchema',
  'defaultInstanceAuth',
  'group',
  'spec',
  'version',
  'kind',
  'data',
  'fetchRequest',
];
