import { Tag } from '@ui5/webcomponents-react/Tag';

/** The `scenarios` label of an object, or an empty list. */
export function scenariosOf(labels: Record<string, unknown> | null | undefined): string[] {
  const value = labels?.scenarios;
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function formatLabelValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(', ');
  return JSON.stringify(value);
}

/** Labels other than `scenarios` (and `name`, which repeats the name) as compact tags. */
export function LabelTags({ labels }: { labels: Record<string, unknown> | null | undefined }) {
  const entries = Object.entries(labels ?? {}).filter(([k]) => k !== 'scenarios' && k !== 'name');
  if (entries.length === 0) return <span className="muted">–</span>;
  return (
    <span className="tags">
      {entries.map(([k, v]) => (
        <Tag key={k} design="Set2" colorScheme="6" hideStateIcon>
          {k}={formatLabelValue(v)}
        </Tag>
      ))}
    </span>
  );
}

export function ScenarioTags({ labels }: { labels: Record<string, unknown> | null | undefined }) {
  const scenarios = scenariosOf(labels);
  if (scenarios.length === 0) return <span className="muted">–</span>;
  return (
    <span className="tags">
      {scenarios.map((s) => (
        <Tag key={s} design="Set2" colorScheme="8" hideStateIcon>
          {s}
        </Tag>
      ))}
    </span>
  );
}
