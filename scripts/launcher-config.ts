import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../infra/paths';

const port = z.coerce.number().int().min(1).max(65535);

/**
 * Settings only the launcher reads: where the embedded servers listen and keep their data.
 * Setting TEMPORAL_ADDRESS or MONGODB_URI switches that server to an external one.
 */
export const LauncherSchema = z.object({
  TEMPORAL_ADDRESS: z.string().optional().describe('Use this Temporal server instead of the embedded one.'),
  MONGODB_URI: z.string().optional().describe('Use this MongoDB instead of the embedded FerretDB.'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_PORT: port.default(7233).describe('Embedded Temporal gRPC port.'),
  TEMPORAL_UI_PORT: port.default(8233).describe('Embedded Temporal Web UI port.'),
  MONGODB_PORT: port.default(27017).describe('Embedded FerretDB port.'),
  PORT: port.default(3000),
  DATA_DIR: z
    .string()
    .optional()
    .describe('Where embedded servers keep their data (default .data/ in the checkout).'),
});

export type LauncherConfig = z.infer<typeof LauncherSchema> & { dataDir: string };

export function loadLauncherConfig(env: NodeJS.ProcessEnv = process.env): LauncherConfig {
  const picked = Object.fromEntries(
    Object.keys(LauncherSchema.shape)
      .filter((k) => env[k] !== undefined && env[k] !== '')
      .map((k) => [k, env[k]]),
  );
  const parsed = LauncherSchema.safeParse(picked);
  if (!parsed.success) {
    throw new Error(
      `invalid configuration:\n  ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  ')}`,
    );
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.DATA_DIR ?? path.join(projectRoot(), '.data')) };
}
