import { type MouseEvent, useSyncExternalStore } from 'react';

/** Every Cockpit URL lives under this prefix, so reload and back work for every screen. */
export const BASE = '/cockpit';

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
window.addEventListener('popstate', notify);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const snapshot = () => window.location.pathname + window.location.search;

/** The current location inside the Cockpit: path segments after /cockpit and the query. */
export interface Location {
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
}

export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(href, window.location.origin);
  const rest = url.pathname.startsWith(BASE) ? url.pathname.slice(BASE.length) : url.pathname;
  return { segments: rest.split('/').filter(Boolean).map(decodeURIComponent), query: url.searchParams };
}

/** Builds a Cockpit URL from path segments and optional query parameters. */
export function href(segments: readonly string[], query?: Record<string, string | undefined>): string {
  const path = `${BASE}/${segments.map(encodeURIComponent).join('/')}`;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v) params.set(k, v);
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

export function navigate(to: string, options: { replace?: boolean; page?: boolean } = {}): void {
  if (to === snapshot()) return;
  const state = options.page ? { cockpitPage: true } : null;
  if (options.replace) window.history.replaceState(state, '', to);
  else window.history.pushState(state, '', to);
  window.scrollTo(0, 0);
  notify();
}

/** An onClick for links: plain clicks navigate in place, modified clicks open as the browser does. */
export function follow(to: string) {
  return (event: MouseEvent | CustomEvent) => {
    const e = event as MouseEvent;
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button === 1) return;
    event.preventDefault();
    navigate(to);
  };
}

/** The same screen with some query parameters changed (undefined removes one). */
export function withQuery(location: Location, changes: Record<string, string | undefined>): string {
  const params = new URLSearchParams(location.query);
  for (const [k, v] of Object.entries(changes)) {
    if (v) params.set(k, v);
    else params.delete(k);
  }
  const search = params.toString();
  const path = `${BASE}/${location.segments.map(encodeURIComponent).join('/')}`;
  return search ? `${path}?${search}` : path;
}
