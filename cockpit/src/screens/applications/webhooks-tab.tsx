import { Bar } from '@ui5/webcomponents-react/Bar';
import { Button } from '@ui5/webcomponents-react/Button';
import { Input } from '@ui5/webcomponents-react/Input';
import { Option } from '@ui5/webcomponents-react/Option';
import { Select } from '@ui5/webcomponents-react/Select';
import { Table } from '@ui5/webcomponents-react/Table';
import { TableCell } from '@ui5/webcomponents-react/TableCell';
import { TableHeaderCell } from '@ui5/webcomponents-react/TableHeaderCell';
import { TableHeaderRow } from '@ui5/webcomponents-react/TableHeaderRow';
import { TableRow } from '@ui5/webcomponents-react/TableRow';
import { Text } from '@ui5/webcomponents-react/Text';
import { useState } from 'react';
import { type CombinedError, useMutation } from 'urql';
import { ErrorStrip } from '../../components/states';
import {
  AddWebhookDocument,
  type ApplicationWebhookType,
  DeleteWebhookDocument,
} from '../../generated/graphql';

const TYPES: readonly ApplicationWebhookType[] = [
  'CONFIGURATION_CHANGED',
  'REGISTER_APPLICATION',
  'UNREGISTER_APPLICATION',
];

/** The application's webhooks: add one by type and URL, or delete one. */
export function WebhooksTab(props: {
  applicationId: string;
  webhooks: readonly { id: string; type: string; url: string }[];
  onChange: () => void;
}) {
  const [, add] = useMutation(AddWebhookDocument);
  const [, remove] = useMutation(DeleteWebhookDocument);
  const [type, setType] = useState<ApplicationWebhookType>('CONFIGURATION_CHANGED');
  const [url, setUrl] = useState('');
  const [error, setError] = useState<CombinedError>();
  const done = (res: { error?: CombinedError | undefined }) => {
    setError(res.error);
    if (!res.error) props.onChange();
    return !res.error;
  };
  return (
    <>
      <ErrorStrip error={error} onClose={() => setError(undefined)} />
      <Table
        accessibleName="Webhooks"
        noData={<Text className="no-data">No webhooks.</Text>}
        headerRow={
          <TableHeaderRow>
            <TableHeaderCell width="16rem">Type</TableHeaderCell>
            <TableHeaderCell>URL</TableHeaderCell>
            <TableHeaderCell width="6rem">
              <span className="sr-only">Actions</span>
            </TableHeaderCell>
          </TableHeaderRow>
        }
      >
        {props.webhooks.map((w) => (
          <TableRow key={w.id} rowKey={w.id}>
            <TableCell>
              <Text>{w.type}</Text>
            </TableCell>
            <TableCell>
              <Text className="mono">{w.url}</Text>
            </TableCell>
            <TableCell>
              <Button
                design="Transparent"
                icon="delete"
                accessibleName={`Delete webhook ${w.url}`}
                onClick={async () => done(await remove({ webhookID: w.id }))}
              />
            </TableCell>
          </TableRow>
        ))}
      </Table>
      <Bar
        design="Subheader"
        startContent={
          <>
            <Select
              accessibleName="Webhook type"
              onChange={(e) => setType(e.detail.selectedOption.textContent as ApplicationWebhookType)}
            >
              {TYPES.map((t) => (
                <Option key={t} selected={t === type}>
                  {t}
                </Option>
              ))}
            </Select>
            <Input
              value={url}
              type="URL"
              placeholder="https://…"
              accessibleName="Webhook URL"
              onInput={(e) => setUrl(e.target.value)}
            />
            <Button
              onClick={async () => {
                if (done(await add({ applicationID: props.applicationId, in: { type, url: url.trim() } })))
                  setUrl('');
              }}
            >
              Add webhook
            </Button>
          </>
        }
      />
    </>
  );
}
