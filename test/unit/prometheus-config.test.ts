import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const root = path.join(__dirname, '..', '..');
type Service = { environment?: Record<string, unknown>; volumes?: string[] };
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
};
const prometheus = parse(readFileSync(path.join(root, 'deploy', 'prometheus', 'prometheus.yml'), 'utf8')) as {
  scrape_configs: Array<{
    job_name: string;
    metrics_path: string;
    dns_sd_configs: Array<{ names: string[]; port: number }>;
  }>;
};

describe('the compose Prometheus', () => {
  it('mounts deploy/prometheus/prometheus.yml', () => {
    expect(compose.services.prometheus?.volumes).toContain(
      './deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
    );
  });

  it('scrapes every gateway on its PORT and every worker on its WORKER_METRICS_PORT, bound to all interfaces', () => {
    const jobs = Object.fromEntries(
      prometheus.scrape_configs.map((job) => [
        job.job_name,
        { path: job.metrics_path, names: job.dns_sd_configs[0]!.names, port: job.dns_sd_configs[0]!.port },
      ]),
    );
    const gateway = compose.services.gateway!.environment!;
    const worker = compose.services.worker!.environment!;
    expect(jobs).toEqual({
      gateway: { path: '/metrics', names: ['gateway'], port: Number(gateway.PORT) },
      worker: { path: '/metrics', names: ['worker'], port: Number(worker.WORKER_METRICS_PORT) },
    });
    expect(worker.WORKER_METRICS_HOST).toBe('0.0.0.0');
    expect(gateway.HOST).toBe('0.0.0.0');
  });
});
