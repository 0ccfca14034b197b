import type { Request, Response } from 'express';

export type Probe = () => Promise<void>;

/** The dependencies the gateway checks, by name; shared by `/healthz` and `healthChecks`. */
export type Probes = Record<string, Probe>;

/**
 * Runs every probe at once and reports each dependency `up` or `down`. Probe errors are
 * summarised, never echoed in full.
 */
export async function runProbes(
  probes: Probes,
): Promise<Array<readonly [string, { status: 'up' | 'down' }]>> {
  return Promise.all(
    Object.entries(probes).map(async ([name, probe]) => {
      try {
        await probe();
        return [name, { status: 'up' as const }] as const;
      } catch {
        return [name, { status: 'down' as const }] as const;
      }
    }),
  );
}

/** `/healthz`: 200 when every dependency answers, 503 otherwise, with each one's state. */
export function healthHandler(probes: Probes) {
  return async (_req: Request, res: Response): Promise<void> => {
    const entries = await runProbes(probes);
    const checks = Object.fromEntries(entries);
    const healthy = entries.every(([, c]) => c.status === 'up');
    res.status(healthy ? 200 : 503).json({ status: healthy ? 'ok' : 'unavailable', checks });
  };
}
