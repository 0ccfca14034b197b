import { type Dispatcher, request as undiciRequest } from 'undici';
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
  // One deadline for the whole exchange (every hop and the answer's body), cleared once it ends.
  const abort = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, limits.timeoutMs);
  const cancel = () => abort.abort(signal?.reason);
  signal?.addEventListener('abort', cancel, { once: true });
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
      const res = await undiciRequest(target, {
        method: method as Dispatcher.HttpMethod,
        headers,
        ...(body !== undefined && { body }),
        signal: abort.signal,
        ...(dispatcher && { dispatcher }),
      });
      const location = headerValue(res.headers.location);
      if ([301, 302, 303, 307, 308].includes(res.statusCode) && location) {
        await res.body.dump();
        if (hop >= maxRedirects)
          return { ok: false, failure: { kind: 'network', message: 'too many redirects' } };
        const next = new URL(location, target);
        if (next.origin !== target.origin) {
          headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'authorization'));
        }
        if (
          res.statusCode === 303 ||
          ((res.statusCode === 301 || res.statusCode === 302) && method === 'POST')
        ) {
          method = 'GET';
          body = undefined;
        }
        target = next;
        continue;
      }
      const text = await readLimited(res.body, limits.maxBytes ?? 1024 * 1024);
      const answerHeaders: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.headers)) {
        const joined = headerValue(value);
        if (joined !== undefined) answerHeaders[name.toLowerCase()] = joined;
      }
      return { ok: true, answer: { status: res.statusCode, headers: answerHeaders, body: text } };
    }
  } catch (err) {
    if (timedOut)
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
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', cancel);
  }
}

/** A header as one string: repeated ones joined, as a fetch Headers object joins them. */
function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The answer's body as text; empty when it is larger than `maxBytes` (the rest is not read). */
async function readLimited(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      body.destroy();
      return '';
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
