import { randomUUID } from 'node:crypto';
import { devAuthorization } from '../scripts/in-process-stack';
import { type BenchContext, startBenchStack } from './context';
import { startNoopFloor } from './floor';
import { type Comparison, combine, compare, measure, type Sample } from './measure';

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
    const opts = { count: ctx.count, concurrency: ctx.concurrency };
    const warm = { count: Math.min(40, ctx.count), concurrency: ctx.concurrency };
    await measure('warm-up', project, warm);
    await measure('warm-up', floor, warm);
    const projectRounds: Sample[] = [];
    const floorRounds: Sample[] = [];
    for (let round = 0; round < 2; round++) {
      floorRounds.push(await measure('no-op workflow, start + result (floor)', floor, opts));
      projectRounds.push(await measure('registerApplication via GraphQL', project, opts));
    }
    return compare(
      'register',
      combine(projectRounds),
      combine(floorRounds),
      `concurrency ${ctx.concurrency}`,
    );
  } finally {
    await noop.stop();
    await stack.close();
  }
}
