import '@ui5/webcomponents-icons/dist/delete.js';
import { Bar } from '@ui5/webcomponents-react/Bar';
import { Button } from '@ui5/webcomponents-react/Button';
import { Input } from '@ui5/webcomponents-react/Input';
import { Table } from '@ui5/webcomponents-react/Table';
import { TableCell } from '@ui5/webcomponents-react/TableCell';
import { TableHeaderCell } from '@ui5/webcomponents-react/TableHeaderCell';
import { TableHeaderRow } from '@ui5/webcomponents-react/TableHeaderRow';
import { TableRow } from '@ui5/webcomponents-react/TableRow';
import { Text } from '@ui5/webcomponents-react/Text';
import { useState } from 'react';
import type { CombinedError } from 'urql';
import { parseValue } from '../screens/applications/label-text';
import { formatLabelValue } from './labels';
import { ErrorStrip } from './states';

/** Keys the API protects; they are shown but cannot be edited here. */
const PROTECTED = new Set(['name', 'integrationSystemID']);

/** An object's labels: set one (a JSON value or a plain string) or remove one. */
export function LabelsEditor(props: {
  labels: Record<string, unknown> | null | undefined;
  onSet: (key: string, value: unknown) => Promise<CombinedError | undefined>;
  onDelete: (key: string) => Promise<CombinedError | undefined>;
}) {
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState<CombinedError>();
  const entries = Object.entries(props.labels ?? {});
  const add = async () => {
    if (!key.trim()) return;
    const failed = await props.onSet(key.trim(), parseValue(value.trim()));
    setError(failed);
    if (!failed) {
      setKey('');
      setValue('');
    }
  };
  return (
    <div className="labels-editor">
      <ErrorStrip error={error} onClose={() => setError(undefined)} />
      <Table
        accessibleName="Labels"
        noData={<Text className="no-data">No labels.</Text>}
        headerRow={
          <TableHeaderRow>
            <TableHeaderCell width="30%">Key</TableHeaderCell>
            <TableHeaderCell>Value</TableHeaderCell>
            <TableHeaderCell width="6rem">
              <span className="sr-only">Actions</span>
            </TableHeaderCell>
          </TableHeaderRow>
        }
      >
        {entries.map(([k, v]) => (
          <TableRow key={k} rowKey={k}>
            <TableCell>
              <Text>{k}</Text>
            </TableCell>
            <TableCell>
              <Text className="mono">{formatLabelValue(v)}</Text>
            </TableCell>
            <TableCell>
              {!PROTECTED.has(k) && (
                <Button
                  design="Transparent"
                  icon="delete"
                  accessibleName={`Remove label ${k}`}
                  onClick={async () => setError(await props.onDelete(k))}
                />
              )}
            </TableCell>
          </TableRow>
        ))}
      </Table>
      <Bar
        design="Subheader"
        startContent={
          <>
            <Input
              value={key}
              placeholder="key"
              accessibleName="Label key"
              onInput={(e) => setKey(e.target.value)}
            />
            <Input
              value={value}
              placeholder='value, e.g. eu or ["A","B"]'
              accessibleName="Label value"
              onInput={(e) => setValue(e.target.value)}
              onKeyDown={(e) => e.key === 'Enter' && void add()}
            />
            <Button onClick={() => void add()}>Set label</Button>
          </>
        }
      />
    </div>
  );
}
