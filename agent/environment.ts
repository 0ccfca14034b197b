/**
 * The environment variables the agent reads, by the option they set. The first four are the
 * Provisioner's key names; deployments (deploy/agent/, docker-compose.yml) are checked against
 * this list.
 */
export const AGENT_ENVIRONMENT = {
  connectorUrl: 'CONNECTOR_URL',
  token: 'TOKEN',
  runtimeId: 'RUNTIME_ID',
  tenant: 'TENANT',
  config: 'COMPASS_AGENT_CONFIG',
  tokenFile: 'COMPASS_AGENT_TOKEN_FILE',
  stateDir: 'COMPASS_AGENT_STATE_DIR',
  statusPort: 'COMPASS_AGENT_STATUS_PORT',
  eventServiceUrl: 'COMPASS_AGENT_EVENT_SERVICE_URL',
  consoleUrl: 'COMPASS_AGENT_CONSOLE_URL',
  requestCredentials: 'COMPASS_AGENT_REQUEST_CREDENTIALS',
  credentialsContext: 'COMPASS_AGENT_CREDENTIALS_CONTEXT',
  credentialsInputParams: 'COMPASS_AGENT_CREDENTIALS_INPUT_PARAMS',
  logLevel: 'LOG_LEVEL',
  /** The parent of the default state directory (`$DATA_DIR/agent`). */
  dataDir: 'DATA_DIR',
} as const;

/** The keys a provisioned runtime's Secret carries (Kyma's Provisioner names them so). */
export const PROVISIONER_KEYS = ['CONNECTOR_URL', 'TOKEN', 'RUNTIME_ID', 'TENANT'] as const;

/** The port of `/healthz` and `/status` on loopback unless configured. */
export const DEFAULT_STATUS_PORT = 8090;
