import { type Dispatcher, fetch } from 'undici';
import type { IncomingAnswer, OutgoingRequest } from '../domain/webhook-contract';
import { AddressNotAllowedError, checkLiteralHost, publicOnlyAgent } from '../infra/network-guard';

/** Bounds of one webhook request. */
export interface WebhookHttpLimits {
  readonly timeoutMs: number;
  /** Whether loopback, private and link-local addresses may be called (WEBHOOK_ALLOW_PRIVATE_NETWORKS). */
  readonly allowPrivateNetworks: boolean;
  readonly maxRedirects?: number;
  readonly maxBytes?: number;
}

/** Why a request produced no answer. */
export type WebhookHttpFailure =
  | { readonly kind: 'refused'; readonly message: string }
  | { readonly kind: 'timeout'; readonly message: string }
  | { readonly kind: 'network'; readonly message: string };

let publicOnly: Dispatcher | undefined;

function refusedAddress(err: unknown): AddressNotAllowedError | undefined {
  for (let e = err; e instanceof Error; e = e.cause) if (e instanceof AddressNotAllowedError) return e;
  return undefined;
}

/**
 * Sends one webhook request within `limits`, with the spec fetcher's address rules: http(s)
 * only, public addresses only unless allowed (every redirect hop checked, and the address
 * connected to is the one checked, so DNS cannot swap it), a deadline on the whole exchange,
 * a size cap on the answer. A 307/308 redirect keeps method and body; credentials headers are
 * not sent to another origin. `signal` aborts it (the activity was cancelled).
 */
export async function sendWebhookRequest(
  request: OutgoingRequest,
  limits: WebhookHttpLimits,
  signal?: AbortSignal,
): Promise<{ ok: true; answer: IncomingAnswer } | { ok: false; failure: WebhookHttpFailure }> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const abort = signal ? AbortSignal.any([timeout, signal]) : timeout;
  const maxRedirects = limits.maxRedirects ?? 5;
  let target = new URL(request.url);
  let { method, body } = request;
  let headers: Record<string, string> = { ...request.headers };
  try {
    for (let hop = 0; ; hop++) {
      if (target.protocol !== 'http:' && target.protocol !== 'https:')
        return {
          ok: false,
          failure: { kind: 'refused', message: `unsupported URL scheme ${target.protocol}` },
        };
      if (!limits.allowPrivateNetworks) checkLiteralHost(target);
      const dispatcher = limits.allowPrivateNetworks ? undefined : (publicOnly ??= publicOnlyAgent());
      const res = await fetch(target, {
        method,
        headers,
        ...(body !== undefined && { body }),
        redirect: 'manual',
        signal: abort,
        ...(dispatcher && { dispatcher }),
      });
      const location = res.headers.get('location');
      if ([301, 302, 303, 307, 308].includes(res.status) && location) {
        await res.body?.cancel();
        if (hop >= maxRedirects)
          return { ok: false, failure: { kind: 'network', message: 'too many redirects' } };
        const next = new URL(location, target);
        if (next.origin !== target.origin) {
          headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'authorization'));
        }
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
        }
        target = next;
        continue;
      }
      const text = await readLimited(res.body, limits.maxBytes ?? 1024 * 1024);
      const answerHeaders: Record<string, string> = {};
      res.headers.forEach((value, name) => (answerHeaders[name.toLowerCase()] = value));
      return { ok: true, answer: { status: res.status, headers: answerHeaders, body: text } };
    }
  } catch (err) {
    if (timeout.aborted)
      return { ok: false, failure: { kind: 'timeout', message: `timed out after ${limits.timeoutMs} ms` } };
    const refused = refusedAddress(err);
    if (refused) return { ok: false, failure: { kind: 'refused', message: refused.message } };
    if (signal?.aborted) throw err;
    return {
      ok: false,
      failure: {
        kind: 'network',
        message: `request failed: ${err instanceof Error ? err.message : String(err)}`,
      },
    };
  }
}

async function readLimited(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return '';
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
