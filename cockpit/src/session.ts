import { useSyncExternalStore } from 'react';
import { config } from './config';

const TOKEN_KEY = 'cockpit.token';

/** Why the sign-in screen is shown instead of the console. */
export type SignInReason = 'none' | 'expired' | 'insufficient';

interface SessionState {
  readonly token: string | undefined;
  readonly reason: SignInReason;
}

/** The claims of a bearer token the Cockpit reads to decide what to offer. */
export interface TokenClaims {
  readonly tenant?: string;
  readonly scopes: readonly string[];
  readonly exp?: number;
}

/** Decodes a JWT's payload without verifying it: the gateway verifies, the page only reads. */
export function decodeClaims(token: string): TokenClaims | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    return {
      ...(typeof json.tenant === 'string' && json.tenant ? { tenant: json.tenant } : {}),
      scopes: typeof json.scopes === 'string' ? json.scopes.split(' ').filter(Boolean) : [],
      ...(typeof json.exp === 'number' ? { exp: json.exp } : {}),
    };
  } catch {
    return undefined;
  }
}

function expired(token: string): boolean {
  const exp = decodeClaims(token)?.exp;
  return exp !== undefined && exp * 1000 <= Date.now();
}

function initial(): SessionState {
  const stored = sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  const token = stored ?? config.devToken;
  if (token && expired(token)) {
    sessionStorage.removeItem(TOKEN_KEY);
    return { token: undefined, reason: 'expired' };
  }
  return { token, reason: 'none' };
}

let state: SessionState = initial();
const listeners = new Set<() => void>();

function set(next: SessionState): void {
  state = next;
  for (const listener of listeners) listener();
}

/**
 * The signed-in token, kept in session storage only (a pasted token never outlives the tab).
 * A rejected token signs the user out with a reason the sign-in screen explains.
 */
export const session = {
  get: (): SessionState => state,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  signIn(token: string): void {
    sessionStorage.setItem(TOKEN_KEY, token);
    set({ token, reason: 'none' });
  },
  signOut(reason: SignInReason = 'none'): void {
    sessionStorage.removeItem(TOKEN_KEY);
    set({ token: undefined, reason });
  },
};

export function useSession(): SessionState {
  return useSyncExternalStore(session.subscribe, session.get);
}

/** Whether the signed-in token carries `scope` (what the Cockpit offers; the gateway decides). */
export function useHasScope(scope: string): boolean {
  const { token } = useSession();
  return Boolean(token && decodeClaims(token)?.scopes.includes(scope));
}
