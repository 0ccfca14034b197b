import { Connection, Client } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_KEYS } from '../domain/search-attributes';
import { temporal } from '@temporalio/proto';

/**
 * Connects a Temporal client, retrying until `timeoutMs`: a freshly started dev server may
 * take longer than the SDK's own connect window to answer.
 */
export async function connectTemporalClient(
  address: string,
  namespace: string,
  timeoutMs = 60_000,
): Promise<{ connection: Connection; client: Client }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 5_000 });
      await connection.workflowService.getSystemInfo({});
      return { connection, client: new Client({ connection, namespace }) };
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/**
 * Registers the custom search attributes in `namespace` when missing, so the project works
 * against any Temporal server (the embedded dev server registers them at start already).
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = SEARCH_ATTRIBUTE_KEYS.filter((k) => !(k.name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return;
  const searchAttributes: Record<string, temporal.api.enums.v1.IndexedValueType> = {};
  for (const key of missing)
    searchAttributes[key.name] = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
}

/** True when the Temporal frontend answers within `timeoutMs`. */
export async function pingTemporal(client: Client, timeoutMs = 2_000): Promise<void> {
  await client.withDeadline(Date.now() + timeoutMs, () => client.workflowService.getSystemInfo({}));
}
