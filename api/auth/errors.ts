/**
 * Thrown at start-up when the authentication configuration is incomplete or unsafe (no key,
 * a weak secret, unsigned tokens on a public listener, a malformed scope file), so the
 * gateway stops before it serves a request.
 */
export class AuthConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthConfigError';
  }
}
