import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bearer } from './launch';
import {
  startGatewayProcess,
  startServers,
  startWorkerProcess,
  stackEnv,
  type StackProcess,
} from '../faults/processes';

/** Label sets of the samples of `family` in a Prometheus text exposition. */
function samples(text: string, family: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${family}{`) || line.startsWith(`${family} `))
    .map((line) => line.slice(family.length).replace(/ [^ ]+$/, ''));
}

describe('/metrics', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'compass-metrics-'));
  const stopped: StackProcess[] = [];
  afterAll(async () => {
    for (const proc of stopped.reverse()) await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('on the gateway and the worker lists the families operators alert on, with bounded labels', async () => {
    const servers = await startServers(dir);
    stopped.push(servers.temporal, servers.ferretdb);
    const env = await stackEnv(path.join(dir, 'data'), servers);
    const worker = await startWorkerProcess('worker', env, dir);
    stopped.push(worker);
    const gateway = await startGatewayProcess('gateway', env, dir);
    stopped.push(gateway);
    const tenant = 'metrics-tenant-7c1f';
    const gql = async (query: string, headers: Record<string, string>, api = 'director') => {
      const res = await fetch(`${gateway.url}/${api}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query }),
      });
      return (await res.json()) as { data?: Record<string, Record<string, string>> };
    };
    const user = { tenant, authorization: await bearer(env.DATA_DIR!) };
    const app = await gql('mutation Reg { registerApplication(in: {name: "m"}) { id } }', user);
    const token = await gql(
      `mutation { requestOneTimeTokenForApplication(id: "${app.data!.registerApplication!.id}") { token } }`,
      user,
    );
    await gql(
      '{ configuration { token { token } } }',
      { 'connector-token': token.data!.requestOneTimeTokenForApplication!.token! },
      'connector',
    );
    await gql('{ applications { totalCount } }', { tenant }); // no credentials
    await gql('{ configuration { token { token } } }', { 'connector-token': 'wrong' }, 'connector');

    const fromGateway = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(samples(fromGateway, 'compass_http_requests_total')).toContain(
      '{route="/director/graphql",method="POST",status="200",component="gateway"}',
    );
    expect(samples(fromGateway, 'compass_graphql_operations_total')).toEqual(
      expect.arrayContaining([
        '{api="director",operation="mutation.registerApplication",outcome="ok",component="gateway"}',
        '{api="connector",operation="query.configuration",outcome="error",component="gateway"}',
      ]),
    );
    expect(samples(fromGateway, 'compass_graphql_errors_total')).toContain(
      '{api="connector",code="Unauthorized",component="gateway"}',
    );
    expect(samples(fromGateway, 'compass_auth_failures_total')).toEqual(
      expect.arrayContaining([
        '{kind="missing_credentials",component="gateway"}',
        '{kind="one_time_token",component="gateway"}',
      ]),
    );
    for (const family of [
      'compass_http_request_duration_seconds_bucket',
      'compass_graphql_operation_duration_seconds_count',
      'compass_runtimes',
      'process_resident_memory_bytes',
    ]) {
      expect(samples(fromGateway, family).length).toBeGreaterThan(0);
    }

    const fromWorker = await (await fetch(`${worker.metricsUrl}/metrics`)).text();
    expect(samples(fromWorker, 'compass_one_time_tokens_total')).toEqual(
      expect.arrayContaining([
        '{event="issued",component="worker"}',
        '{event="redeemed",component="worker"}',
      ]),
    );
    expect(samples(fromWorker, 'compass_activities_total')).toContain(
      '{activity="putToken",outcome="completed",component="worker"}',
    );
    // The SDK's own worker metrics, from its Prometheus exporter, in the same scrape.
    expect(fromWorker).toMatch(/^temporal_[a-z_]+\{/m);

    // No tenant, ID or token is ever a label value.
    for (const text of [fromGateway, fromWorker]) {
      expect(text).not.toContain(tenant);
      expect(text).not.toContain(app.data!.registerApplication!.id);
    }
  });
});
