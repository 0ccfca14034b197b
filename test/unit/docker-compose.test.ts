import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ConfigSchema } from '../../infra/config';

const root = path.join(__dirname, '..', '..');

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function loadServices(): Record<string, Record<string, unknown>> {
  const doc: unknown = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'));
  if (!isRecord(doc) || !isRecord(doc.services)) throw new Error('docker-compose.yml has no services map');
  const services: Record<string, Record<string, unknown>> = {};
  for (const [name, service] of Object.entries(doc.services)) {
    if (!isRecord(service)) throw new Error(`service ${name} is not a map`);
    services[name] = service;
  }
  return services;
}

/** A service's environment as strings, written either as a map or as a list of KEY=VALUE. */
function envOf(service: Record<string, unknown>): Record<string, string> {
  const env = service.environment;
  if (env === undefined) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry: unknown) => {
        const text = String(entry);
        const eq = text.indexOf('=');
        return eq < 0 ? [text, ''] : [text.slice(0, eq), text.slice(eq + 1)];
      }),
    );
  }
  if (!isRecord(env)) throw new Error('environment must be a map or a list');
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

const services = loadServices();
const projectServices = ['worker', 'gateway'] as const;
const configKeys = Object.keys(ConfigSchema.shape);

describe('docker-compose production topology', () => {
  it('runs Temporal on PostgreSQL, the Temporal UI, MongoDB, workers and gateways', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['postgresql', 'temporal', 'temporal-ui', 'mongodb', 'worker', 'gateway']),
    );
  });

  it.each(projectServices)('docker-compose gives the %s every setting it needs', (name) => {
    const env = envOf(services[name] ?? {});
    expect(Object.keys(env)).toEqual(
      expect.arrayContaining(['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'MONGODB_URI']),
    );
  });

  it.each(projectServices)('the %s is only given variables the configuration knows', (name) => {
    const unknownKeys = Object.keys(envOf(services[name] ?? {})).filter((k) => !configKeys.includes(k));
    expect(unknownKeys).toEqual([]);
  });

  it.each(projectServices)('every value given to the %s is a valid configuration value', (name) => {
    const result = ConfigSchema.safeParse(envOf(services[name] ?? {}));
    expect(result.error?.issues ?? []).toEqual([]);
    expect(result.success).toBe(true);
  });

  it.each(projectServices)('the %s reaches Temporal and MongoDB through their compose services', (name) => {
    const env = envOf(services[name] ?? {});
    expect(env.TEMPORAL_ADDRESS?.split(':')[0]).toBe('temporal');
    const uri = env.MONGODB_URI ?? '';
    expect(uri).toMatch(/^mongodb:\/\//);
    const mongo = new URL(uri.replace(/^mongodb:/, 'http:'));
    expect(mongo.hostname).toBe('mongodb');
  });

  it('the gateway publishes the port it listens on', () => {
    const gateway = services.gateway ?? {};
    const ports: unknown[] = Array.isArray(gateway.ports) ? gateway.ports : [];
    // Short syntax "host:container[/proto]" or long syntax { target, published }.
    const containerPorts = ports.map((p) =>
      isRecord(p) ? String(p.target) : String(p).split('/')[0]?.split(':').pop(),
    );
    expect(containerPorts).toContain(envOf(gateway).PORT);
  });

  it('workers and gateways share one data directory, so they share the CA and token issuers', () => {
    const mounts = projectServices.map((name) => {
      const volumes = services[name]!.volumes;
      const dataDir = envOf(services[name]!).DATA_DIR;
      expect(dataDir).toBeDefined();
      return (Array.isArray(volumes) ? volumes : []).find(
        (v) => typeof v === 'string' && v.endsWith(`:${dataDir}`),
      );
    });
    expect(mounts[0]).toBeDefined();
    expect(new Set(mounts).size).toBe(1);
  });

  it('the project image ships the GraphQL schema the gateway reads at run time', () => {
    const dockerfile = path.join(root, 'Dockerfile');
    expect(existsSync(dockerfile)).toBe(true);
    const stages = readFileSync(dockerfile, 'utf8').split(/^FROM\s/im);
    const finalStage = stages[stages.length - 1] ?? '';
    expect(finalStage).toMatch(/^COPY\s.*api\/schema\s/m);
    expect(finalStage).toMatch(/^CMD\s.*dist\/api\/main\.js/m);
  });
});
