import pino, { type Logger } from 'pino';

/** Fields that may carry secrets; pino replaces them wherever they appear in a log object. */
const REDACT = [
  'token',
  'key',
  'keyPem',
  'cert',
  'certificate',
  'certificatePem',
  'csr',
  '*.token',
  '*.key',
  '*.cert',
  // delivered bundle credentials (Auth): never logged, redacted should one be passed
  'auth',
  'credential',
  'password',
  'clientSecret',
  '*.auth',
  '*.credential',
  '*.password',
  '*.clientSecret',
];

/** The agent's logger: pino JSON lines on stderr carrying the runtime ID; secrets redacted. */
export function agentLogger(level: string, runtimeId?: string): Logger {
  return pino(
    { level, base: { component: 'compass-agent', ...(runtimeId && { runtimeId }) }, redact: REDACT },
    pino.destination(2),
  );
}
