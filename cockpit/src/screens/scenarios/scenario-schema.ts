/**
 * The scenarios named by the `scenarios` label definition's schema (`items.enum`). A tenant
 * whose definition does not exist yet has DEFAULT only: the Director creates it so on first use.
 */
export function scenarioNames(schema: string | null | undefined): string[] {
  if (!schema) return ['DEFAULT'];
  try {
    const parsed = JSON.parse(schema) as { items?: { enum?: unknown } };
    const names = parsed.items?.enum;
    return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [];
  } catch {
    return [];
  }
}

/** The same schema with another list of scenarios; everything else is kept as it is. */
export function withScenarios(schema: string | null | undefined, names: readonly string[]): string {
  const parsed = (
    schema ? JSON.parse(schema) : { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string' } }
  ) as {
    items?: Record<string, unknown>;
  };
  return JSON.stringify({ ...parsed, items: { ...(parsed.items ?? {}), enum: names } });
}
