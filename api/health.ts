import type { Request, Response } from 'express';

export type Probe = () => Promise<void>;

/**
 * `/healthz`: 200 when every dependency answers, 503 otherwise, with each one's state.
 * Probe errors are summarised, never echoed in full.
 */
export function healthHandler(probes: Record<string, Probe>) {
  return async (_req: Request, res: Response): Promise<void> => {
    const entries = await Promise.all(
      Object.entries(probes).map(async ([name, probe]) => {
        try {
          await probe();
          return [name, { status: 'up' }] as const;
        } catch {
          return [name, { status: 'down' }] as const;
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    const healthy = entries.every(([, c]) => c.status === 'up');
    res.status(healthy ? 200 : 503).json({ status: healthy ? 'ok' : 'unavailable', checks });
  };
}
