import { Command } from 'commander';

/**
 * The Runtime Agent's entry point. The agent runs inside a runtime and talks to the gateway's
 * public API only. This version checks that the gateway it is pointed at is reachable and
 * healthy (exit code 0, or 1 with the reason); pairing with a one-time token and polling the
 * runtime's configuration over mTLS build on it.
 */
async function main(): Promise<void> {
  const program = new Command('compass-agent')
    .description('Compass Runtime Agent')
    .option('--gateway <url>', 'gateway base URL', process.env.COMPASS_GATEWAY_URL ?? 'http://127.0.0.1:3000')
    .option('--timeout <ms>', 'how long to wait for an answer', (v) => Number(v), 5000)
    .parse();
  const { gateway, timeout } = program.opts<{ gateway: string; timeout: number }>();

  const url = URL.canParse(gateway) ? new URL('/healthz', gateway) : undefined;
  if (!url) return program.error(`--gateway is not a valid URL: ${gateway}`);
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeout) });
    const body = (await res.json()) as { status?: string; checks?: Record<string, { status: string }> };
    const checks = Object.entries(body.checks ?? {})
      .map(([name, c]) => `${name} ${c.status}`)
      .join(', ');
    console.log(`gateway ${gateway}: ${body.status ?? res.status}${checks ? ` (${checks})` : ''}`);
    process.exitCode = res.ok ? 0 : 1;
  } catch (err) {
    console.error(`gateway ${gateway} is not reachable: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}

void main();
