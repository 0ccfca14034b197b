import { AuthConfigError } from '../../../api/auth/errors';
import { assertUnsignedTokensAllowed, isLoopbackHost } from '../../../api/auth/unsigned-tokens';

describe('unsigned tokens guard', () => {
  it.each(['0.0.0.0', '::', '', '10.0.0.5', '192.168.1.20', '::ffff:10.0.0.5', 'compass.example.com'])(
    'refuses unsigned tokens on the non-loopback listener %p',
    (host) => {
      expect(() => assertUnsignedTokensAllowed(true, ['127.0.0.1', host])).toThrow(AuthConfigError);
    },
  );

  it('names the exposed listeners in the refusal', () => {
    expect(() => assertUnsignedTokensAllowed(true, ['0.0.0.0', '127.0.0.1', ''])).toThrow(
      /listens on 0\.0\.0\.0, \(all interfaces\);/,
    );
  });

  it.each([
    '127.0.0.1',
    '127.10.20.30',
    '::1',
    '[::1]',
    '0:0:0:0:0:0:0:1',
    '::ffff:127.0.0.1',
    'localhost',
    'LocalHost',
  ])('accepts unsigned tokens on the loopback listener %p and returns a warning to log', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
    expect(assertUnsignedTokensAllowed(true, [host])).toMatch(/unsigned tokens .* local development only/);
  });

  it('has nothing to say when unsigned tokens are off, whatever the listeners', () => {
    expect(assertUnsignedTokensAllowed(false, ['0.0.0.0'])).toBeUndefined();
  });
});
