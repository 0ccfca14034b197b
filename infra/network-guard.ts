import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent } from 'undici';

/**
 * Outbound requests to addresses named by clients (spec URLs, later webhooks) must not reach
 * the control plane's own network: loopback, private, link-local (cloud metadata at
 * 169.254.169.254), unique-local, carrier-grade NAT, multicast, unspecified and reserved
 * addresses are refused unless private networks are explicitly allowed.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range() === 'unicast';
}

/** The error a refused address fails with; its message ends up in the fetch status. */
export class AddressNotAllowedError extends Error {
  constructor(host: string, address: string) {
    super(`address ${address} of ${host} is not allowed (private network)`);
  }
}

/** Refuses a URL whose host is a literal address outside the public internet. */
export function checkLiteralHost(url: URL): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0 && !isPublicAddress(host)) throw new AddressNotAllowedError(url.hostname, host);
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A DNS lookup for sockets that fails when any address the name resolves to is not public.
 * The socket connects to the address checked here, so a name cannot resolve to a public
 * address for the check and a private one for the connection.
 */
function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused) return callback(new AddressNotAllowedError(hostname, refused.address), []);
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first)
      return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
    callback(null, first.address, first.family);
  });
}

/** An HTTP dispatcher whose connections reach public addresses only. */
export function publicOnlyAgent(): Agent {
  return new Agent({ connect: { lookup: guardedLookup as never } });
}
