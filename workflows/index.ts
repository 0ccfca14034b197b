/** The worker's workflowsPath: every workflow type, by name. */
export { applicationWorkflow } from './application/workflow';
export { runtimeWorkflow } from './runtime/workflow';
export { pairingWorkflow } from './pairing/workflow';
export { specFetchWorkflow } from './spec-fetch/workflow';
export { certificateWorkflow } from './certificate/workflow';
export { credentialRequestWorkflow } from './credential-request/workflow';
export { provisioningWorkflow } from './provisioning/workflow';
