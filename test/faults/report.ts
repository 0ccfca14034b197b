import { HANG } from './client';
import type { CheckResult } from './checks';
import type { OperationRecord } from './load';

/** One fault's line of the suite's table. */
export interface FaultRow {
  readonly fault: string;
  readonly sent: number;
  readonly acknowledged: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly hangs: number;
  /** Client-visible error codes (GraphQL `extensions.error`, HTTP status, socket error) → count. */
  readonly errors: Readonly<Record<string, number>>;
  /** From the SIGKILL until the process was up again. */
  readonly downMs: number;
  /** From the SIGKILL until every kind of operation was acknowledged again (undefined: never). */
  readonly recoveryMs: number | undefined;
  readonly problems: readonly string[];
}

/** The row of a fault from its load's records and the checks' result. */
export function faultRow(
  fault: string,
  records: readonly OperationRecord[],
  check: CheckResult,
  timing: { downMs: number; recoveryMs: number | undefined },
): FaultRow {
  const errors: Record<string, number> = {};
  for (const { code } of records) if (code !== undefined) errors[code] = (errors[code] ?? 0) + 1;
  return {
    fault,
    sent: records.length,
    acknowledged: records.filter((r) => r.code === undefined).length,
    lost: check.lost,
    duplicated: check.duplicated,
    hangs: errors[HANG] ?? 0,
    errors,
    ...timing,
    problems: check.problems,
  };
}

const seconds = (ms: number | undefined) => (ms === undefined ? 'never' : (ms / 1000).toFixed(1));

/** The table the suite prints: one line per fault, columns aligned. */
export function faultTable(rows: readonly FaultRow[]): string {
  const head = [
    'fault',
    'sent',
    'acked',
    'lost',
    'duplicated',
    'hangs',
    'down s',
    'recovered s',
    'errors by code',
  ];
  const lines = rows.map((r) => [
    r.fault,
    String(r.sent),
    String(r.acknowledged),
    String(r.lost),
    String(r.duplicated),
    String(r.hangs),
    seconds(r.downMs),
    seconds(r.recoveryMs),
    Object.entries(r.errors)
      .sort(([, a], [, b]) => b - a)
      .map(([code, n]) => `${code} ${n}`)
      .join(', ') || '-',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...lines.map(line)].join('\n');
}
