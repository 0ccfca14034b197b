/** The worker's workflowsPath: every workflow type, by name. */
export { applicationWorkflow } from './application/workflow';
