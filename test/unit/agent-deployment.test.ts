import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { AGENT_ENVIRONMENT, DEFAULT_STATUS_PORT, PROVISIONER_KEYS } from '../../agent/environment';

const root = path.join(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

type Doc = Record<string, unknown>;
const isRecord = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
function at(value: unknown, ...keys: (string | number)[]): unknown {
  let v = value;
  for (const k of keys) v = Array.isArray(v) ? v[k as number] : isRecord(v) ? v[k] : undefined;
  return v;
}
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const agentEnvNames: string[] = Object.values(AGENT_ENVIRONMENT);
const AGENT_ENTRY = 'dist/agent/main.js';

/** The port and path a probe command fetches, e.g. node -e "fetch('http://127.0.0.1:8090/healthz')…". */
function probed(command: unknown[]): URL {
  const script = command.map(String).join(' ');
  const match = /fetch\('([^']+)'\)/.exec(script);
  if (!match) throw new Error(`the probe fetches nothing: ${script}`);
  return new URL(match[1]!);
}

describe('the agent reads the variables environment.ts lists', () => {
  const main = read('agent/main.ts');

  it.each(Object.keys(AGENT_ENVIRONMENT))('main.ts reads ENV.%s', (key) => {
    expect(main).toContain(`ENV.${key}`);
  });

  it('main.ts reads no environment variable by its literal name', () => {
    expect(main.match(/env\.[A-Z_]+|env\[['"][A-Z_]+['"]\]/g) ?? []).toEqual([]);
  });

  it('package.json runs the same entry point as the deployments', () => {
    const pkg = JSON.parse(read('package.json')) as { bin: Record<string, string> };
    expect(pkg.bin['compass-agent']).toBe(AGENT_ENTRY);
  });
});

describe('deploy/agent: the Kubernetes manifest', () => {
  const docs = parseAllDocuments(read('deploy/agent/agent.yaml')).map((d) => d.toJS() as Doc);
  const deployment = docs.find((d) => d.kind === 'Deployment');
  const pod = at(deployment, 'spec', 'template', 'spec');
  const container = at(pod, 'containers', 0);
  const env = list(at(container, 'env')).filter(isRecord);
  const value = (name: string) => env.find((e) => e.name === name)?.value as string | undefined;
  const mounts = list(at(container, 'volumeMounts')).filter(isRecord);
  const volumes = list(at(pod, 'volumes')).filter(isRecord);
  const volumeAt = (dir: string) => {
    const mount = mounts.find((m) => dir === m.mountPath || dir.startsWith(`${String(m.mountPath)}/`));
    return { mount, volume: volumes.find((v) => v.name === mount?.name) };
  };

  it('is one Deployment, one replica, never two pods on the state at once', () => {
    expect(at(deployment, 'spec', 'replicas')).toBe(1);
    expect(at(deployment, 'spec', 'strategy', 'type')).toBe('Recreate');
    expect(list(at(pod, 'containers'))).toHaveLength(1);
    expect(list(at(container, 'command'))).toEqual(['node', AGENT_ENTRY, 'run']);
  });

  it('sets only variables the agent reads', () => {
    expect(env.map((e) => e.name).filter((n) => !agentEnvNames.includes(String(n)))).toEqual([]);
  });

  it('takes the four Provisioner keys from one Secret, each under its own name', () => {
    const refs = PROVISIONER_KEYS.map((key) =>
      at(env.find((e) => e.name === key)?.valueFrom, 'secretKeyRef'),
    );
    expect(refs.map((r) => at(r, 'key'))).toEqual([...PROVISIONER_KEYS]);
    expect(new Set(refs.map((r) => at(r, 'name'))).size).toBe(1);
  });

  it('reads the token file from the same Secret, mounted, so a new token reaches a running agent', () => {
    const secretName = at(env.find((e) => e.name === 'TOKEN')?.valueFrom, 'secretKeyRef', 'name');
    const tokenFile = value(AGENT_ENVIRONMENT.tokenFile);
    expect(tokenFile).toBeDefined();
    const { mount, volume } = volumeAt(tokenFile!);
    expect(at(volume, 'secret', 'secretName')).toBe(secretName);
    expect(path.relative(String(mount!.mountPath), tokenFile!)).toBe('TOKEN');
  });

  it('keeps the state directory on a persistent volume', () => {
    const stateDir = value(AGENT_ENVIRONMENT.stateDir);
    expect(stateDir).toBeDefined();
    const { mount, volume } = volumeAt(stateDir!);
    expect(mount?.readOnly).toBeFalsy();
    const claim = at(volume, 'persistentVolumeClaim', 'claimName');
    expect(docs.some((d) => d.kind === 'PersistentVolumeClaim' && at(d, 'metadata', 'name') === claim)).toBe(
      true,
    );
  });

  it("probes liveness on the agent's /healthz and port", () => {
    const url = probed(list(at(container, 'livenessProbe', 'exec', 'command')));
    expect(url.pathname).toBe('/healthz');
    expect(url.hostname).toBe('127.0.0.1');
    expect(Number(url.port)).toBe(Number(value(AGENT_ENVIRONMENT.statusPort) ?? DEFAULT_STATUS_PORT));
  });
});

describe('docker-compose.yml: the agent service', () => {
  const doc = parse(read('docker-compose.yml')) as Doc;
  const agent = at(doc, 'services', 'agent');
  const env = at(agent, 'environment');

  it('runs the agent entry point, started only on request (it needs a token)', () => {
    expect(list(at(agent, 'command'))).toEqual(['node', AGENT_ENTRY, 'run']);
    expect(list(at(agent, 'profiles'))).toContain('agent');
  });

  it('sets only variables the agent reads, the four Provisioner keys among them', () => {
    expect(isRecord(env)).toBe(true);
    const names = Object.keys(env as Doc);
    expect(names.filter((n) => !agentEnvNames.includes(n))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining([...PROVISIONER_KEYS]));
  });

  it('keeps the state directory on a named volume', () => {
    const stateDir = String(at(env, AGENT_ENVIRONMENT.stateDir));
    const mount = list(at(agent, 'volumes'))
      .map(String)
      .find((v) => {
        const target = v.split(':')[1] ?? '';
        return stateDir === target || stateDir.startsWith(`${target}/`);
      });
    expect(mount).toBeDefined();
    expect(Object.keys(at(doc, 'volumes') as Doc)).toContain(mount!.split(':')[0]);
  });

  it("checks health on the agent's /healthz and port", () => {
    const url = probed(list(at(agent, 'healthcheck', 'test')));
    expect(url.pathname).toBe('/healthz');
    expect(Number(url.port)).toBe(Number(at(env, AGENT_ENVIRONMENT.statusPort) ?? DEFAULT_STATUS_PORT));
  });
});
