import {
  type HealthCheck,
  type HealthCheckPage,
  HealthCheckStatusCondition,
  HealthCheckType,
  pageHealthChecks,
} from '../../domain/health-check';
import { parsePageRequest } from '../../domain/pagination';
import { type Probes, runProbes } from '../health';

/**
 * `healthChecks`: one management-plane check per dependency the gateway probes (the same
 * probes as `/healthz`), run when asked.
 */
export class HealthCheckService {
  constructor(private readonly probes: Probes) {}

  async list(
    types: readonly string[] | null | undefined,
    origin: string | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<HealthCheckPage> {
    const page = parsePageRequest(first, after);
    const wanted = types ?? undefined;
    const skipProbes =
      wanted !== undefined && !wanted.includes(HealthCheckType.MANAGEMENT_PLANE_APPLICATION_HEALTHCHECK);
    const probes = Object.fromEntries(
      Object.entries(this.probes).filter(([name]) => origin == null || name === origin),
    );
    const results = skipProbes ? [] : await runProbes(probes);
    const timestamp = new Date().toISOString();
    const checks: HealthCheck[] = results.map(([name, { status }]) => ({
      type: HealthCheckType.MANAGEMENT_PLANE_APPLICATION_HEALTHCHECK,
      condition: status === 'up' ? HealthCheckStatusCondition.SUCCEEDED : HealthCheckStatusCondition.FAILED,
      origin: name,
      message: status === 'up' ? `${name} answered` : `${name} did not answer`,
      timestamp,
    }));
    return pageHealthChecks(checks, { types: wanted ?? null, origin: origin ?? null }, page);
  }
}
