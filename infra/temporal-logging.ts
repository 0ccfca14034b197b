import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';
import type { Logger } from 'pino';

const PINO_LEVEL = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/**
 * Sends the Temporal SDK's worker logs (and the workflow and activity loggers) to pino.
 * Below debug level the SDK only reports warnings: its info lines (bundling, state changes)
 * are noise in normal operation.
 */
export function installTemporalLogging(log: Logger): void {
  const level: LogLevel = log.isLevelEnabled('debug') ? 'DEBUG' : 'WARN';
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => {
      log[PINO_LEVEL[entry.level]]({ ...entry.meta }, entry.message);
    }),
  });
}
