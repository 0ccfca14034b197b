import pino, { type Logger } from 'pino';
import type { Config } from './config';

/**
 * The process logger. Secrets never reach it: requests are not logged with their headers
 * and the redaction list covers every field that could carry a credential.
 */
export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'LOG_PRETTY'>, name: string): Logger {
  return pino({
    name,
    level: config.LOG_LEVEL,
    redact: {
      paths: [
        '*.authorization',
        '*.Authorization',
        '*.token',
        '*.password',
        '*.clientSecret',
        '*.privateKey',
      ],
      censor: '[redacted]',
    },
    ...(config.LOG_PRETTY && { transport: { target: 'pino-pretty', options: { colorize: true } } }),
  });
}
