import { type Dispatcher, fetch, type Response as UndiciResponse } from 'undici';
import { AddressNotAllowedError, checkLiteralHost, publicOnlyAgent } from '../infra/network-guard';

/** Bounds of one spec fetch. */
export interface FetchLimits {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly maxRedirects: number;
  /** Whether loopback, private and link-local addresses may be fetched (see isPublicAddress). */
  readonly allowPrivateNetworks: boolean;
}

/**
 * Compass-grade defaults: 5 s, 5 MiB, a few redirects between http(s) URLs, public addresses
 * only.
 */
export const DEFAULT_FETCH_LIMITS: FetchLimits = {
  timeoutMs: 5_000,
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
  allowPrivateNetworks: false,
};

/** Connections of fetches restricted to public addresses; shared, as connections are pooled. */
let publicOnly: Dispatcher | undefined;

export type FetchOutcome =
  { readonly ok: true; readonly data: string } | { readonly ok: false; readonly message: string };

/** How to send one fetch besides its URL. */
export interface FetchOptions {
  /**
   * Sent to `url` and to redirects on its origin only, so credentials never follow a redirect
   * to another server.
   */
  readonly headers?: Readonly<Record<string, string>>;
  /** An `application/x-www-form-urlencoded` body to POST instead of a GET; its redirects are not followed. */
  readonly form?: string;
}

function isHttpUrl(url: URL): boolean {
  return url.protocol === 'http:' || url.protocol === 'https:';
}

/**
 * GETs `url` as text within `limits`: http(s) only (redirects too), public addresses only
 * unless allowed otherwise (every hop is checked, and the address connected to is the one
 * checked), a deadline on the whole exchange, a size cap on the body. Every failure becomes
 * a message for the fetch status, never an exception: an unreachable spec is the spec's
 * state, not the caller's error. Messages never repeat the headers sent.
 */
export async function fetchText(
  url: string,
  limits: FetchLimits = DEFAULT_FETCH_LIMITS,
  options: FetchOptions = {},
): Promise<FetchOutcome> {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    return { ok: false, message: 'the URL has no scheme: only http and https URLs can be fetched' };
  }
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    let target = new URL(url);
    const origin = target.origin;
    for (let hop = 0; ; hop++) {
      if (!isHttpUrl(target)) return { ok: false, message: `unsupported URL scheme ${target.protocol}` };
      if (!limits.allowPrivateNetworks) checkLiteralHost(target);
      const dispatcher = limits.allowPrivateNetworks ? undefined : (publicOnly ??= publicOnlyAgent());
      const headers = {
        ...(target.origin === origin && options.headers),
        ...(options.form !== undefined && { 'content-type': 'application/x-www-form-urlencoded' }),
      };
      const res = await fetch(target, {
        method: options.form === undefined ? 'GET' : 'POST',
        headers,
        ...(options.form !== undefined && { body: options.form }),
        redirect: 'manual',
        signal,
        ...(dispatcher && { dispatcher }),
      });
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location && options.form === undefined) {
        await res.body?.cancel();
        if (hop >= limits.maxRedirects) return { ok: false, message: 'too many redirects' };
        target = new URL(location, target);
        continue;
      }
      if (!res.ok) {
        await res.body?.cancel();
        return { ok: false, message: `unexpected status code ${res.status}` };
      }
      return await readLimited(res, limits.maxBytes);
    }
  } catch (err) {
    if (signal.aborted) return { ok: false, message: `timed out after ${limits.timeoutMs} ms` };
    const refused = refusedAddress(err);
    if (refused) return { ok: false, message: refused.message };
    return { ok: false, message: `fetch failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** The refusal behind a failed fetch, however deep undici wrapped it. */
function refusedAddress(err: unknown): AddressNotAllowedError | undefined {
  for (let e = err; e instanceof Error; e = e.cause) {
    if (e instanceof AddressNotAllowedError) return e;
  }
  return undefined;
}

async function readLimited(res: UndiciResponse, maxBytes: number): Promise<FetchOutcome> {
  const tooLarge: FetchOutcome = { ok: false, message: `response body exceeds ${maxBytes} bytes` };
  if (Number(res.headers.get('content-length') ?? 0) > maxBytes) {
    await res.body?.cancel();
    return tooLarge;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        return tooLarge;
      }
      chunks.push(value);
    }
  }
  return { ok: true, data: Buffer.concat(chunks).toString('utf8') };
}
