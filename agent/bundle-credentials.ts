import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { StateError, readOptional, writeAtomically } from './files';
import { type GatewayClient, GraphQLError } from './graphql';
import type { SyncedApplication } from './sync';

/**
 * The agent's credential requests (bundle instance auths): one file per request under
 * `<state>/credentials/<authId>.json`, mode 0600, written atomically. The file holds the
 * request and, once it SUCCEEDED, the delivered `auth` (credentials); the run loop follows
 * each request's status and asks for deletion when its bundle leaves the agent's view.
 */

export const CREDENTIALS_DIR = 'credentials';

export interface CredentialRequestStatus {
  readonly condition: 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'UNUSED';
  readonly reason: string;
  readonly message: string;
  readonly timestamp?: string;
}

/** One stored credential request. */
export interface StoredCredentialRequest {
  readonly id: string;
  readonly bundleId: string;
  readonly applicationId: string;
  readonly context: string | null;
  readonly inputParams: string | null;
  readonly status: CredentialRequestStatus;
  /** The delivered credentials (Director `Auth`), present only while SUCCEEDED. */
  readonly auth?: Record<string, unknown>;
  readonly requestedAt: string;
  readonly updatedAt: string;
}

/** What the agent's status shows of its credential requests (no secrets). */
export interface CredentialSummary {
  readonly total: number;
  readonly pending: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly unused: number;
  /** Bundles the run loop did not request for, and why (e.g. refused, needs inputParams). */
  readonly skipped?: Readonly<Record<string, string>>;
}

const CREDENTIAL = `credential { ... on BasicCredentialData { username password }
  ... on OAuthCredentialData { clientId clientSecret url } }`;
const AUTH = `auth { ${CREDENTIAL} additionalHeaders additionalQueryParams
  requestAuth { csrf { tokenEndpointURL ${CREDENTIAL} additionalHeaders additionalQueryParams } } }`;
const FIELDS = `id context inputParams status { condition reason message timestamp } ${AUTH}`;
const REQUEST = `mutation($bundle: ID!, $in: BundleInstanceAuthRequestInput!) {
  requestBundleInstanceAuthCreation(bundleID: $bundle, in: $in) { ${FIELDS} } }`;
const REQUEST_DELETION = `mutation($id: ID!) { requestBundleInstanceAuthDeletion(authID: $id) { id status { condition } } }`;
/** How many requests one follow-up query reads (each is one alias; the gateway allows 30). */
const FOLLOW_BATCH = 20;

interface AnsweredAuth {
  id: string;
  context: string | null;
  inputParams: string | null;
  status: CredentialRequestStatus;
  auth: Record<string, unknown> | null;
}

/** Director error codes the agent acts on. */
const NOT_FOUND = 20;
const INVALID_OPERATION = 27;

const fileOf = (id: string) => `${id}.json`;

/** A bundle of the agent's view, with the application it belongs to. */
export interface ViewedBundle {
  readonly id: string;
  readonly applicationId: string;
  readonly name?: string;
  readonly instanceAuthRequestInputSchema?: string | null;
}

/** Every bundle in the synchronised applications, by ID. */
export function bundlesOf(applications: readonly SyncedApplication[]): Map<string, ViewedBundle> {
  const bundles = new Map<string, ViewedBundle>();
  for (const app of applications) {
    const data = (app.bundles as { data?: Array<Record<string, unknown>> } | undefined)?.data ?? [];
    for (const b of data) {
      bundles.set(String(b.id), {
        id: String(b.id),
        applicationId: app.id,
        ...(typeof b.name === 'string' && { name: b.name }),
        instanceAuthRequestInputSchema: (b.instanceAuthRequestInputSchema as string | null) ?? null,
      });
    }
  }
  return bundles;
}

/** Checks that `text` is JSON (the Director's JSON scalar is stringified JSON); undefined passes. */
export function jsonArgument(name: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    JSON.parse(text);
  } catch (err) {
    throw new InvalidCredentialInputError(`${name} is not valid JSON: ${(err as Error).message}`);
  }
  return text;
}

/** A credential request the operator asked for cannot be sent as given (exit code 2). */
export class InvalidCredentialInputError extends Error {
  override readonly name = 'InvalidCredentialInputError';
}

/** The Director refused a credential request or a deletion; `code` is its error code. */
export class CredentialRequestRefusedError extends Error {
  override readonly name = 'CredentialRequestRefusedError';
  constructor(
    message: string,
    readonly code: number | undefined,
  ) {
    super(message);
  }
}

/** How the agent reaches the Director over mTLS (read when a call is made: URLs and keys change). */
export interface DirectorAccess {
  readonly client: () => GatewayClient;
  readonly directorUrl: () => string;
}

/** The stored credential requests of one state directory, and the calls that change them. */
export class CredentialRequests {
  readonly dir: string;

  /** @param director how to call the Director; without it the requests can only be listed */
  constructor(
    stateDir: string,
    private readonly director?: DirectorAccess,
  ) {
    this.dir = path.join(stateDir, CREDENTIALS_DIR);
  }

  private query<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    if (!this.director) throw new Error('credential requests opened without access to the Director');
    return this.director.client().query<T>(this.director.directorUrl(), query, variables);
  }

  /** The stored requests, oldest first; a file that is not a request is a StateError naming it. */
  async list(): Promise<StoredCredentialRequest[]> {
    const names = (await readdir(this.dir)).filter((f) => f.endsWith('.json'));
    const all: StoredCredentialRequest[] = [];
    for (const name of names) {
      const text = await readOptional(path.join(this.dir, name));
      if (text === undefined) continue; // removed meanwhile
      try {
        all.push(JSON.parse(text) as StoredCredentialRequest);
      } catch {
        throw new StateError(`${path.join(this.dir, name)} is corrupt`);
      }
    }
    return all.sort((a, b) => a.requestedAt.localeCompare(b.requestedAt) || a.id.localeCompare(b.id));
  }

  /** requestBundleInstanceAuthCreation for `bundle`; the answer is stored before it is returned. */
  async request(
    bundle: ViewedBundle,
    input: { context?: string; inputParams?: string },
  ): Promise<StoredCredentialRequest> {
    let answer: AnsweredAuth;
    try {
      ({ requestBundleInstanceAuthCreation: answer } = await this.query<{
        requestBundleInstanceAuthCreation: AnsweredAuth;
      }>(REQUEST, {
        bundle: bundle.id,
        in: {
          ...(input.context !== undefined && { context: input.context }),
          ...(input.inputParams !== undefined && { inputParams: input.inputParams }),
        },
      }));
    } catch (err) {
      if (err instanceof GraphQLError)
        throw new CredentialRequestRefusedError(
          `the Director refused the credential request for bundle ${bundle.id}: ${err.message}`,
          err.code,
        );
      throw err;
    }
    const now = new Date().toISOString();
    const stored = toStored(answer, bundle, now, now);
    await this.store(stored);
    return stored;
  }

  /**
   * Asks the Director to delete the request, then removes its file. A request the Director no
   * longer has (deleted with its bundle) or no longer lets this runtime touch (its application
   * left the runtime's scenarios) is removed too; transport failures leave the file for the
   * next try.
   */
  async delete(request: StoredCredentialRequest): Promise<'requested' | 'gone' | 'not allowed'> {
    let outcome: 'requested' | 'gone' | 'not allowed' = 'requested';
    try {
      await this.query(REQUEST_DELETION, { id: request.id });
    } catch (err) {
      if (!(err instanceof GraphQLError)) throw err;
      if (err.code === NOT_FOUND) outcome = 'gone';
      else if (err.code === INVALID_OPERATION) outcome = 'not allowed';
      else
        throw new CredentialRequestRefusedError(
          `the Director refused to delete credential request ${request.id}: ${err.message}`,
          err.code,
        );
    }
    await rm(path.join(this.dir, fileOf(request.id)), { force: true });
    return outcome;
  }

  /**
   * Reads the current state of `requests` (Bundle.instanceAuth) and rewrites the files that
   * changed: credentials are written when a request SUCCEEDS and dropped when it leaves
   * SUCCEEDED; a request the Director no longer has is removed. Returns what is stored now.
   */
  async follow(requests: readonly StoredCredentialRequest[]): Promise<StoredCredentialRequest[]> {
    const now: StoredCredentialRequest[] = [];
    for (let i = 0; i < requests.length; i += FOLLOW_BATCH) {
      const batch = requests.slice(i, i + FOLLOW_BATCH);
      const query = `query(${batch.map((_, j) => `$a${j}: ID!, $b${j}: ID!, $r${j}: ID!`).join(', ')}) {
        ${batch.map((_, j) => `r${j}: application(id: $a${j}) { bundle(id: $b${j}) { instanceAuth(id: $r${j}) { ${FIELDS} } } }`).join('\n')}
      }`;
      const variables = Object.fromEntries(
        batch.flatMap((r, j) => [
          [`a${j}`, r.applicationId],
          [`b${j}`, r.bundleId],
          [`r${j}`, r.id],
        ]),
      );
      const answer = await this.query<
        Record<string, { bundle: { instanceAuth: AnsweredAuth | null } | null } | null>
      >(query, variables);
      for (const [j, request] of batch.entries()) {
        const current = answer[`r${j}`]?.bundle?.instanceAuth;
        if (!current) {
          await rm(path.join(this.dir, fileOf(request.id)), { force: true });
          continue;
        }
        const next = toStored(current, request, request.requestedAt, request.updatedAt);
        if (!changed(request, next)) {
          now.push(request);
          continue;
        }
        // `credentials delete` may have removed it meanwhile: a deleted request stays deleted.
        if ((await readOptional(path.join(this.dir, fileOf(request.id)))) === undefined) continue;
        const updated = { ...next, updatedAt: new Date().toISOString() };
        await this.store(updated);
        now.push(updated);
      }
    }
    return now;
  }

  private store(request: StoredCredentialRequest): Promise<void> {
    return writeAtomically(this.dir, { [fileOf(request.id)]: JSON.stringify(request, null, 2) + '\n' });
  }
}

function toStored(
  answer: AnsweredAuth,
  bundle: { bundleId: string; applicationId: string } | ViewedBundle,
  requestedAt: string,
  updatedAt: string,
): StoredCredentialRequest {
  const bundleId = 'bundleId' in bundle ? bundle.bundleId : bundle.id;
  return {
    id: answer.id,
    bundleId,
    applicationId: bundle.applicationId,
    context: answer.context ?? null,
    inputParams: answer.inputParams ?? null,
    status: answer.status,
    ...(answer.status.condition === 'SUCCEEDED' && answer.auth && { auth: answer.auth }),
    requestedAt,
    updatedAt,
  };
}

const changed = (a: StoredCredentialRequest, b: StoredCredentialRequest) =>
  JSON.stringify({ ...a, updatedAt: '' }) !== JSON.stringify({ ...b, updatedAt: '' });

/** Counts by condition, for the agent's status. */
export function summarise(
  requests: readonly StoredCredentialRequest[],
  skipped: ReadonlyMap<string, string>,
): CredentialSummary {
  const count = (c: CredentialRequestStatus['condition']) =>
    requests.filter((r) => r.status.condition === c).length;
  return {
    total: requests.length,
    pending: count('PENDING'),
    succeeded: count('SUCCEEDED'),
    failed: count('FAILED'),
    unused: count('UNUSED'),
    ...(skipped.size > 0 && { skipped: Object.fromEntries(skipped) }),
  };
}
