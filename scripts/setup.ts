import { FERRETDB, MissingGoError, TEMPORAL, ensureBinary } from './servers/binaries';

/**
 * `npm run setup`: builds the embedded servers into the cache (once). Nothing is built for a
 * server the environment points elsewhere (TEMPORAL_ADDRESS, MONGODB_URI).
 */
async function main(): Promise<void> {
  if (!process.env.TEMPORAL_ADDRESS) console.log(`Temporal CLI: ${await ensureBinary(TEMPORAL)}`);
  if (!process.env.MONGODB_URI) console.log(`FerretDB: ${await ensureBinary(FERRETDB)}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof MissingGoError ? err.message : err);
  process.exit(1);
});
