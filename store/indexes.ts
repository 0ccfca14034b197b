import type { Db } from 'mongodb';
import { ensureApplicationIndexes } from './applications';
import { ensureBundleIndexes } from './bundle-collections';
import { ensureBundleInstanceAuthIndexes } from './bundle-instance-auths';
import { ensureCertificateIndexes } from './certificates';
import { ensureApplicationTemplateIndexes } from './application-templates';
import { ensureIntegrationSystemIndexes } from './integration-systems';
import { ensureLabelDefinitionIndexes } from './label-definitions';
import { ensureRuntimeContextIndexes } from './runtime-contexts';
import { ensureRuntimeIndexes } from './runtimes';
import { ensureRuntimeHealthIndexes } from './runtime-health';
import { ensureScenarioAssignmentIndexes } from './scenario-assignments';
import { ensureSystemAuthIndexes } from './system-auths';
import { ensureWebhookIndexes } from './webhooks';

/** Creates every index the project needs; safe to run on every start. */
export async function ensureIndexes(db: Db): Promise<void> {
  await ensureApplicationIndexes(db);
  await ensureBundleIndexes(db);
  await ensureApplicationTemplateIndexes(db);
  await ensureIntegrationSystemIndexes(db);
  await ensureLabelDefinitionIndexes(db);
  await ensureRuntimeIndexes(db);
  await ensureRuntimeContextIndexes(db);
  await ensureRuntimeHealthIndexes(db);
  await ensureScenarioAssignmentIndexes(db);
  await ensureSystemAuthIndexes(db);
  await ensureWebhookIndexes(db);
  await ensureBundleInstanceAuthIndexes(db);
  await ensureCertificateIndexes(db);
}
