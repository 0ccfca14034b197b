import type { Resolvers } from '../generated/graphql';
import { directorResolvers as applicationResolvers } from './application-resolvers';
import { labelResolvers } from './label-resolvers';
import { webhookResolvers } from './webhook-resolvers';
import { bundleResolvers } from './bundle-resolvers';
import { bundleInstanceAuthResolvers } from './bundle-instance-auth-resolvers';
import { bundleScalarResolvers } from './bundle-scalars';
import { runtimeResolvers } from './runtime-resolvers';
import { scenarioAssignmentResolvers } from './scenario-assignment-resolvers';
import { applicationTemplateResolvers } from './application-template-resolvers';
import { healthCheckResolvers } from './health-check-resolvers';
import { integrationSystemResolvers } from './integration-system-resolvers';
import { tenantResolvers } from './tenant-resolvers';
import { oneTimeTokenResolvers } from './one-time-token-resolvers';
import { systemAuthResolvers } from './system-auth-resolvers';
import { authResolvers } from './auth-resolvers';
import { runtimeHealthResolvers } from './runtime-health-resolvers';
import { withAccessRules } from './access';

/**
 * Every Director domain's resolvers, merged by Apollo in this order. A domain adds its
 * resolver map here and its schema file under api/schema/.
 */
export const directorResolvers: Resolvers[] = withAccessRules([
  applicationResolvers,
  labelResolvers,
  webhookResolvers,
  bundleResolvers,
  bundleInstanceAuthResolvers,
  bundleScalarResolvers,
  runtimeResolvers,
  runtimeHealthResolvers,
  scenarioAssignmentResolvers,
  applicationTemplateResolvers,
  integrationSystemResolvers,
  tenantResolvers,
  healthCheckResolvers,
  oneTimeTokenResolvers,
  systemAuthResolvers,
  authResolvers,
]);
