import { BlockList, isIP } from 'node:net';
import { AuthConfigError } from './errors';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** True for `localhost`, 127.0.0.0/8 and ::1 (also written in full, bracketed or IPv4-mapped). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.trim().replace(/^\[(.*)\]$/, '$1');
  if (bare.toLowerCase() === 'localhost') return true;
  const family = isIP(bare);
  return family !== 0 && loopback.check(bare, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * Unsigned tokens let anyone who can reach the gateway claim any identity, so they are
 * allowed only when every listener is loopback. Call at start-up with the hosts the gateway
 * binds to: throws `AuthConfigError` naming the public hosts when unsigned tokens are allowed
 * on one (an empty host or `0.0.0.0` binds every interface); otherwise returns the warning to
 * log when unsigned tokens are on, and undefined when they are off.
 */
export function assertUnsignedTokensAllowed(
  allow: boolean,
  listenHosts: readonly string[],
): string | undefined {
  if (!allow) return undefined;
  const exposed = listenHosts.filter((host) => !isLoopbackHost(host));
  if (exposed.length > 0) {
    const named = exposed.map((host) => (host.trim() === '' ? '(all interfaces)' : host)).join(', ');
    throw new AuthConfigError(
      `unsigned tokens are allowed only on loopback listeners, but the gateway listens on ${named}; ` +
        'turn unsigned tokens off or bind to 127.0.0.1',
    );
  }
  return 'unsigned tokens (alg none) are accepted: any local process can act as any user; use for local development only';
}
