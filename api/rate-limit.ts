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
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = limit.perMinute / 60_000;
  return (req: Request, res, next) => {
    if (limit.perMinute <= 0 || requestIdentity(req)?.via === 'certificate') return next();
    const key = req.socket.remoteAddress ?? 'unknown';
    const now = Date.now();
    const bucket = buckets.get(key) ?? { tokens: limit.burst, at: now };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    buckets.delete(key); // re-insert: the map stays ordered by last use
    buckets.set(key, bucket);
    if (buckets.size > MAX_CLIENTS) buckets.delete(buckets.keys().next().value!);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return next();
    }
    metrics?.rateLimited.inc({ surface });
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000))));
    res.status(429);
    refuse(res);
  };
}
