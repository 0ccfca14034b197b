import path from 'node:path';
import type { AgentTokenSettings, Provider } from '../activities/provider';
import { LocalProvider } from '../activities/provider/local';
import type { Config } from '../infra/config';
import { projectRoot } from '../infra/paths';
import { dataDir, publicUrls, tokenLifetimesMs } from '../infra/trust';

/** The built Runtime Agent, as `npm run build` leaves it. */
export const AGENT_MAIN = path.join(projectRoot(), 'dist', 'agent', 'main.js');

/** The local provider with its clusters under DATA_DIR/runtimes. */
export function localProvider(config: Pick<Config, 'DATA_DIR'>): LocalProvider {
  return new LocalProvider({
    root: path.join(dataDir(config), 'runtimes'),
    agentCommand: [process.execPath, AGENT_MAIN],
  });
}

/** How provisioned agents get their one-time tokens, from the Connector's settings. */
export function agentTokenSettings(config: Config): AgentTokenSettings {
  const lifetimes = tokenLifetimesMs(config);
  return {
    connectorUrl: `${publicUrls(config).http}/connector/graphql`,
    tokenTtlMs: lifetimes.tokenTtlMs.RUNTIME,
    csrTokenTtlMs: lifetimes.csrTokenTtlMs,
    connectWindowMs: 24 * 3_600_000,
    certificateGraceMs: config.CERT_GRACE_SECONDS * 1000,
  };
}

/** The worker's provisioning dependencies: the local provider, started agents brought back. */
export async function provisioningDeps(
  config: Config,
): Promise<{ providers: readonly Provider[]; agentTokens: AgentTokenSettings; restored: number }> {
  const local = localProvider(config);
  const restored = await local.restore();
  return { providers: [local], agentTokens: agentTokenSettings(config), restored };
}
