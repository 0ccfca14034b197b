import { Button } from '@ui5/webcomponents-react/Button';
import { Table } from '@ui5/webcomponents-react/Table';
import { TableCell } from '@ui5/webcomponents-react/TableCell';
import { TableHeaderCell } from '@ui5/webcomponents-react/TableHeaderCell';
import { TableHeaderRow } from '@ui5/webcomponents-react/TableHeaderRow';
import { TableRow } from '@ui5/webcomponents-react/TableRow';
import { Text } from '@ui5/webcomponents-react/Text';
import { useState } from 'react';
import { useMutation, type CombinedError } from 'urql';
import { ErrorStrip } from '../../components/states';
import { DeleteSystemAuthForApplicationDocument } from '../../generated/graphql';

/** Label–value pairs of an object; empty values are left out. */
export function Facts({ facts }: { facts: readonly (readonly [string, string | null | undefined])[] }) {
  return (
    <dl className="facts">
      {facts
        .filter(([, v]) => v)
        .map(([k, v]) => (
          <div key={k} className="fact">
            <dt>{k}</dt>
            <dd>
              <Text className="mono-if-url">{v}</Text>
            </dd>
          </div>
        ))}
    </dl>
  );
}

/** The application's system identities (IDs only); each can be revoked. */
export function AuthsTab({ auths, onChange }: { auths: readonly { id: string }[]; onChange: () => void }) {
  const [, remove] = useMutation(DeleteSystemAuthForApplicationDocument);
  const [error, setError] = useState<CombinedError>();
  return (
    <>
      <ErrorStrip error={error} onClose={() => setError(undefined)} />
      <Table
        accessibleName="System identities"
        noData={
          <Text className="no-data">No system identities: connecting the application creates one.</Text>
        }
        headerRow={
          <TableHeaderRow>
            <TableHeaderCell>Client ID (certificate CN)</TableHeaderCell>
            <TableHeaderCell width="8rem">
              <span className="sr-only">Actions</span>
            </TableHeaderCell>
          </TableHeaderRow>
        }
      >
        {auths.map((a) => (
          <TableRow key={a.id} rowKey={a.id}>
            <TableCell>
              <Text className="mono">{a.id}</Text>
            </TableCell>
            <TableCell>
              <Button
                design="Transparent"
                onClick={async () => {
                  const res = await remove({ authID: a.id });
                  setError(res.error);
                  if (!res.error) onChange();
                }}
              >
                Revoke
              </Button>
            </TableCell>
          </TableRow>
        ))}
      </Table>
    </>
  );
}
