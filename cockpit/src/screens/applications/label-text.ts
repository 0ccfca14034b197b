/** Parses one JSON value, or takes the text as a string when it is not JSON. */
export function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * Parses `key=value` lines into labels; returns a message for the first unreadable line,
 * or undefined when there are none.
 */
export function parseLabels(text: string): Record<string, unknown> | string | undefined {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length === 0) return undefined;
  const labels: Record<string, unknown> = {};
  for (const line of lines) {
    const eq = line.indexOf('=');
    if (eq <= 0) return `"${line}" is not key=value`;
    labels[line.slice(0, eq).trim()] = parseValue(line.slice(eq + 1).trim());
  }
  return labels;
}
