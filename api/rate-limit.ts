import type { Request, RequestHandler, Response } from 'express';
import type { Metrics } from '../infra/metrics';
import { requestIdentity } from './auth/request-identity';

/** A per-client token bucket: `burst` requests at once, refilled at `perMinute`. */
export interface RateLimit {
  readonly perMinute: number;
  readonly burst: number;
}

/** Most clients tracked per surface; beyond it the least recently seen are forgotten. */
const MAX_CLIENTS = 10_000;

/** Token buckets by client key, in memory: `take` spends one, or says how long to wait. */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(private readonly limit: RateLimit) {
    this.perMs = limit.perMinute / 60_000;
  }

  get enabled(): boolean {
    return this.limit.perMinute > 0;
  }

  /** Spends a token of `key`: undefined when allowed, else the whole seconds until one is back. */
  take(key: string, now = Date.now()): number | undefined {
    if (!this.enabled) return undefined;
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    this.buckets.delete(key); // re-insert: the map stays ordered by last use
    this.buckets.set(key, bucket);
    if (this.buckets.size > MAX_CLIENTS) this.buckets.delete(this.buckets.keys().next().value!);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000));
  }
}

/**
 * Limits one unauthenticated or token-guarded surface per client address: over the limit a
 * request is answered 429 with `Retry-After` (whole seconds until the next request is allowed)
 * and `refuse`'s body. Requests already authenticated by a client certificate are not limited
 * (agents renewing over mTLS). In memory, per gateway: each replica limits on its own.
 */
export function rateLimit(
  surface: string,
  limit: RateLimit,
  refuse: (res: Response) => void,
  metrics?: Metrics,
): RequestHandler {
  const buckets = new TokenBuckets(limit);
  return (req: Request, res, next) => {
    if (!buckets.enabled || requestIdentity(req)?.via === 'certificate') return next();
    const retryAfter = buckets.take(req.socket.remoteAddress ?? 'unknown');
    if (retryAfter === undefined) return next();
    metrics?.rateLimited.inc({ surface });
    res.setHeader('Retry-After', String(retryAfter));
    res.status(429);
    refuse(res);
  };
}
