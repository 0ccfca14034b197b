import { spawn } from 'node:child_process';
import { appendFile, mkdir, open, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type ClusterConfig, LOCAL_PROVIDER } from '../../domain/provisioning';
import type { ClusterRef } from '../../workflows/provisioning/messages';
import type { AgentEnvironment, ClusterState, InstallAgentOptions, Provider } from './provider';
import { isAlive, stopProcessGroup } from './processes';

/** What the local provider keeps of a runtime in `<root>/<tenant>/<runtimeId>/cluster.json`. */
interface LocalCluster {
  readonly tenantId: string;
  readonly runtimeId: string;
  readonly createdBy: string;
  readonly readyAtMs: number;
  readonly hibernated: boolean;
  readonly config: ClusterConfig;
  readonly agent?: { readonly pid: number; readonly installedFor: string };
}

export interface LocalProviderOptions {
  /** Where local clusters live (DATA_DIR/runtimes). */
  readonly root: string;
  /** The command that starts a Runtime Agent, e.g. [node, dist/agent/main.js]. */
  readonly agentCommand: readonly string[];
}

/**
 * The default provider: a "cluster" is a directory under the data directory with a real
 * Runtime Agent process, started detached (it survives a worker restart) with the token it
 * was given, its state in `<cluster>/agent` and its log in `<cluster>/agent.log`. Deleting
 * stops the process and removes the directory. Every step appends to `<runtimeId>.log`
 * beside the directory, so tests can count what really happened.
 */
export class LocalProvider implements Provider {
  readonly descriptor = LOCAL_PROVIDER;

  constructor(private readonly opts: LocalProviderOptions) {}

  private dir(ref: Pick<ClusterRef, 'tenantId' | 'runtimeId'>): string {
    return path.join(this.opts.root, ref.tenantId, ref.runtimeId);
  }

  private async read(ref: Pick<ClusterRef, 'tenantId' | 'runtimeId'>): Promise<LocalCluster | undefined> {
    try {
      return JSON.parse(await readFile(path.join(this.dir(ref), 'cluster.json'), 'utf8')) as LocalCluster;
    } catch {
      return undefined;
    }
  }

  private async write(cluster: LocalCluster): Promise<void> {
    const file = path.join(this.dir(cluster), 'cluster.json');
    await writeFile(`${file}.tmp`, JSON.stringify(cluster, null, 2));
    await rename(`${file}.tmp`, file);
  }

  private async log(ref: ClusterRef, line: string): Promise<void> {
    await mkdir(path.join(this.opts.root, ref.tenantId), { recursive: true });
    await appendFile(
      path.join(this.opts.root, ref.tenantId, `${ref.runtimeId}.log`),
      `${line} ${ref.operationId}\n`,
    );
  }

  async create(ref: ClusterRef, config: ClusterConfig): Promise<void> {
    if (await this.read(ref)) return;
    await mkdir(this.dir(ref), { recursive: true });
    const readyAfter = Number(config.providerSpecificConfig.readyAfterSeconds ?? 0) * 1000;
    await this.write({
      tenantId: ref.tenantId,
      runtimeId: ref.runtimeId,
      createdBy: ref.operationId,
      readyAtMs: Date.now() + readyAfter,
      hibernated: false,
      config,
    });
    await this.log(ref, 'create');
  }

  async status(ref: ClusterRef): Promise<ClusterState> {
    const cluster = await this.read(ref);
    if (!cluster) return 'GONE';
    if (cluster.hibernated) return 'HIBERNATED';
    return Date.now() < cluster.readyAtMs ? 'CREATING' : 'READY';
  }

  async installAgent(ref: ClusterRef, config: ClusterConfig, options: InstallAgentOptions): Promise<void> {
    const cluster = await this.read(ref);
    if (!cluster) throw new Error(`no local cluster for runtime ${ref.runtimeId}`);
    const agent = cluster.agent;
    if (!options.fresh && agent?.installedFor === ref.operationId && isAlive(agent.pid)) return;
    if (agent) await stopProcessGroup(agent.pid);
    await rm(path.join(this.dir(ref), 'agent'), { recursive: true, force: true });
    const env = await options.issueToken();
    const pid = await this.spawnAgent(cluster, config, env);
    await this.write({ ...cluster, config, agent: { pid, installedFor: ref.operationId } });
    await this.log(ref, 'installAgent');
  }

  async removeAgent(ref: ClusterRef): Promise<void> {
    const cluster = await this.read(ref);
    if (!cluster?.agent) return;
    await stopProcessGroup(cluster.agent.pid);
    const { agent: _removed, ...rest } = cluster;
    await this.write(rest);
    await this.log(ref, 'removeAgent');
  }

  async delete(ref: ClusterRef): Promise<void> {
    const cluster = await this.read(ref);
    if (cluster?.agent) await stopProcessGroup(cluster.agent.pid);
    if (!cluster) return;
    await rm(this.dir(ref), { recursive: true, force: true });
    await this.log(ref, 'delete');
  }

  /** Restarts the agent with the new configuration (it keeps its certificate). */
  async upgrade(ref: ClusterRef, config: ClusterConfig): Promise<void> {
    const cluster = await this.read(ref);
    if (!cluster) throw new Error(`no local cluster for runtime ${ref.runtimeId}`);
    if (cluster.agent) await stopProcessGroup(cluster.agent.pid);
    const pid = await this.spawnAgent(cluster, config);
    await this.write({
      ...cluster,
      config,
      agent: { pid, installedFor: cluster.agent?.installedFor ?? ref.operationId },
    });
    await this.log(ref, 'upgrade');
  }

  /** Stops the agent; the cluster keeps its state. */
  async hibernate(ref: ClusterRef): Promise<void> {
    const cluster = await this.read(ref);
    if (!cluster) throw new Error(`no local cluster for runtime ${ref.runtimeId}`);
    if (cluster.agent) await stopProcessGroup(cluster.agent.pid);
    await this.write({ ...cluster, hibernated: true });
  }

  async wakeUp(ref: ClusterRef): Promise<void> {
    const cluster = await this.read(ref);
    if (!cluster) throw new Error(`no local cluster for runtime ${ref.runtimeId}`);
    if (!cluster.hibernated && cluster.agent && isAlive(cluster.agent.pid)) return;
    const pid = await this.spawnAgent(cluster, cluster.config);
    await this.write({
      ...cluster,
      hibernated: false,
      agent: { pid, installedFor: cluster.agent?.installedFor ?? ref.operationId },
    });
  }

  /**
   * Starts again the agents of local runtimes that were running (after a reboot or `npm start`):
   * a cluster that is not hibernated and whose agent process is gone. Returns how many.
   */
  async restore(): Promise<number> {
    let restarted = 0;
    for (const tenant of await readdir(this.opts.root).catch(() => [] as string[])) {
      const entries = await readdir(path.join(this.opts.root, tenant), { withFileTypes: true }).catch(
        () => [],
      );
      for (const entry of entries) {
        if (!entry.isDirectory()) continue;
        const cluster = await this.read({ tenantId: tenant, runtimeId: entry.name });
        if (!cluster?.agent || cluster.hibernated || isAlive(cluster.agent.pid)) continue;
        const pid = await this.spawnAgent(cluster, cluster.config);
        await this.write({ ...cluster, agent: { ...cluster.agent, pid } });
        restarted += 1;
      }
    }
    return restarted;
  }

  /** Spawns a detached agent; without `env` it runs on the certificate it already holds. */
  private async spawnAgent(
    cluster: LocalCluster,
    config: ClusterConfig,
    env?: AgentEnvironment,
  ): Promise<number> {
    const dir = this.dir(cluster);
    const c = config.providerSpecificConfig as Record<string, number | string | undefined>;
    const sync = Number(c.syncPeriodSeconds ?? 20);
    const heartbeat = Number(c.heartbeatIntervalSeconds ?? 30);
    const [command, ...base] = this.opts.agentCommand;
    const args = [
      ...base,
      'run',
      '--state-dir',
      path.join(dir, 'agent'),
      '--status-port',
      '0',
      '--runtime-id',
      cluster.runtimeId,
      '--sync-period',
      String(sync),
      '--heartbeat-interval',
      String(heartbeat),
      // A local runtime shares the machine with the control plane: give a busy gateway longer
      // than the agent's default 10 s before a call counts as failed.
      '--timeout',
      '30',
      ...(sync < 10 || heartbeat < 10 ? ['--allow-short-periods'] : []),
      ...(c.eventServiceUrl ? ['--event-service-url', String(c.eventServiceUrl)] : []),
      ...(c.consoleUrl ? ['--console-url', String(c.consoleUrl)] : []),
    ];
    const log = await open(path.join(dir, 'agent.log'), 'a');
    try {
      const child = spawn(command!, args, {
        detached: true,
        stdio: ['ignore', log.fd, log.fd],
        env: { PATH: process.env.PATH ?? '', TENANT: cluster.tenantId, ...env },
      });
      const pid = child.pid;
      if (pid === undefined) throw new Error('the agent process did not start');
      child.unref();
      return pid;
    } finally {
      await log.close();
    }
  }
}
