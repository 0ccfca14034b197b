import { randomUUID } from 'node:crypto';
import { devAuthorization } from '../scripts/in-process-stack';
import { type BenchContext, startBenchStack } from './context';
import { startNoopFloor } from './floor';
import { type Comparison, compareInRounds } from './measure';

const REGISTER = `mutation R($in: ApplicationRegisterInput!) { registerApplication(in: $in) { id status { condition } } }`;

/**
 * registerApplication through GraphQL (gateway → Update-with-Start → workflow → activity →
 * MongoDB → answer) against its floor: a no-op workflow started and awaited on the same
 * server, at the same concurrency, in alternating rounds.
 */
export async function registerBenchmark(ctx: BenchContext): Promise<Comparison> {
  const stack = await startBenchStack(ctx);
  const noop = await startNoopFloor(ctx, stack.client);

  const tenant = `bench-${randomUUID()}`;
  const authorization = await devAuthorization();
  let n = 0;
  const project = async () => {
    const res = await fetch(`${stack.url}/director/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', tenant, authorization },
      body: JSON.stringify({ query: REGISTER, variables: { in: { name: `app-${n++}` } } }),
    });
    const body = (await res.json()) as { errors?: unknown[] };
    if (body.errors) throw new Error(`registerApplication failed: ${JSON.stringify(body.errors)}`);
  };
  const floor = noop.op;

  try {
    return await compareInRounds(
      'register',
      { name: 'registerApplication via GraphQL', op: project },
      { name: 'no-op workflow, start + result (floor)', op: floor },
      ctx,
    );
  } finally {
    await noop.stop();
    await stack.close();
  }
}
