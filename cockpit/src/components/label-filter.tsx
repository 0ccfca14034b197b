import '@ui5/webcomponents-icons/dist/filter.js';
import { Icon } from '@ui5/webcomponents-react/Icon';
import { Input } from '@ui5/webcomponents-react/Input';
import { useState } from 'react';
import type { LabelFilter } from '../generated/graphql';
import { navigate, useLocation, withQuery } from '../router';

/**
 * Parses the filter box: `key` (the label exists), `key=value` (the value contains the JSON
 * value, or the string when it is not JSON), `scenarios=A,B` (any of the scenarios).
 */
export function toLabelFilter(text: string | null): LabelFilter[] | undefined {
  const trimmed = text?.trim();
  if (!trimmed) return undefined;
  const eq = trimmed.indexOf('=');
  if (eq < 0) return [{ key: trimmed }];
  const key = trimmed.slice(0, eq).trim();
  const raw = trimmed.slice(eq + 1).trim();
  if (key === 'scenarios') {
    const names = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return [{ key, query: `$[*] ? (${names.map((n) => `@ == ${JSON.stringify(n)}`).join(' || ')})` }];
  }
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  return [{ key, query: JSON.stringify(value) }];
}

/** The label filter of a list, kept in the URL (`?label=`), so a filtered list can be shared. */
export function LabelFilterInput() {
  const location = useLocation();
  const current = location.query.get('label') ?? '';
  const [text, setText] = useState(current);
  const apply = () => navigate(withQuery(location, { label: text.trim() || undefined, after: undefined }));
  return (
    <Input
      className="filter"
      value={text}
      placeholder="Filter by label: key, key=value or scenarios=A,B"
      accessibleName="Filter by label"
      showClearIcon
      icon={<Icon name="filter" />}
      onInput={(e) => setText(e.target.value)}
      onChange={apply}
      onKeyDown={(e) => e.key === 'Enter' && apply()}
    />
  );
}
