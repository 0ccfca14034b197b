import type { Client } from '@temporalio/client';
import pino from 'pino';
import type { CertificateIdentity } from '../../api/auth/certificate-auth';
import { FirstCallRecorder } from '../../api/connector/first-call';

function identity(i: number): CertificateIdentity {
  return {
    kind: 'RUNTIME',
    consumerId: `rt-${i}`,
    tenant: 't-1',
    scopes: [],
    via: 'certificate',
    clientId: `client-${i}`,
    certificateHash: `hash-${i}`,
  };
}

describe('FirstCallRecorder', () => {
  it('handles at most 32 first calls at once, each client once, and the rest in turn', async () => {
    let inFlight = 0;
    let most = 0;
    const reads: string[] = [];
    const releases: Array<() => void> = [];
    const recorder = new FirstCallRecorder({
      temporal: {} as Client,
      certificates: { getByHashGlobal: async () => undefined },
      applications: { get: async () => undefined },
      // A runtime the store does not have: nothing to mark, once the read returns.
      runtimes: {
        get: async (_tenant, id) => {
          reads.push(id);
          inFlight += 1;
          most = Math.max(most, inFlight);
          await new Promise<void>((r) => releases.push(r));
          inFlight -= 1;
          return undefined;
        },
      },
      requestTimeoutMs: 1000,
      log: pino({ level: 'silent' }),
    });
    const all = Array.from({ length: 100 }, (_, i) => recorder.record(identity(i)));
    const again = recorder.record(identity(0));
    while (releases.length < 32) await new Promise((r) => setImmediate(r));
    expect(most).toBe(32);
    while (reads.length < 100 || releases.length > 0) {
      releases.splice(0).forEach((release) => release());
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all([...all, again]);
    expect(most).toBe(32);
    expect(reads).toHaveLength(100);
    expect(new Set(reads).size).toBe(100);
  });
});
