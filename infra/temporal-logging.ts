import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';
import type { Logger } from 'pino';

const PINO_LEVEL = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/**
 * Sends the Temporal SDK's worker logs (and the workflow and activity loggers) to pino.
 * Below debug level the SDK only reports warnings: its info lines (bundling, state changes)
 * are noise in normal operation. With `metricsBindAddress`, the SDK's Prometheus exporter serves
 * its worker metrics there.
 */
export function installTemporalLogging(log: Logger, metricsBindAddress?: string): void {
  const level: LogLevel = log.isLevelEnabled('debug') ? 'DEBUG' : 'WARN';
  Runtime.install({
    // The SDK's own worker metrics (temporal_*), served in Prometheus format on this address.
    ...(metricsBindAddress && {
      telemetryOptions: {
        metrics: {
          prometheus: {
            bindAddress: metricsBindAddress,
            countersTotalSuffix: true,
            useSecondsForDurations: true,
          },
        },
      },
    }),
    logger: new DefaultLogger(level, (entry) => {
      log[PINO_LEVEL[entry.level]]({ ...entry.meta }, entry.message);
    }),
  });
}
