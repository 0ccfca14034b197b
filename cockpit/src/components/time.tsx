import { Text } from '@ui5/webcomponents-react/Text';
import { useEffect, useState } from 'react';

/** "12 s ago", "5 min ago", "3 h ago", else the date: how long ago `iso` was, from `now`. */
export function ago(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

/** Re-renders every `ms` while mounted (for relative times and live screens). */
export function useTick(ms: number): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

/** A relative time with the exact local time as its tooltip; "never" when there is none. */
export function Ago({ iso, never = 'never' }: { iso: string | null | undefined; never?: string }) {
  const now = useTick(5000);
  if (!iso) return <Text className="muted">{never}</Text>;
  return (
    <Text title={new Date(iso).toLocaleString()} data-timestamp={iso}>
      {ago(iso, now)}
    </Text>
  );
}

/**
 * Re-runs `refresh` every `ms` while `active` (a screen's live data: runtime health,
 * credential requests waiting for an answer). Polling, not a subscription: the Director API
 * has none, and a request every few seconds per open screen costs the gateway nothing.
 */
export function usePolling(refresh: () => void, ms: number, active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const id = setInterval(refresh, ms);
    return () => clearInterval(id);
  }, [refresh, ms, active]);
}
