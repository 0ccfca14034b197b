import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from 'mongodb';
import { HEARTBEAT_INTAKE } from '../../store/runtime-health';

/** What the fuzzer's hooks report for one request: the API, operation, status and parsed body. */
export interface Exchange {
  readonly target: string;
  readonly operation: string;
  readonly status: number;
  readonly body: unknown;
  /** The GraphQL document that was sent, for the failure report. */
  readonly query?: string;
}

/** One request that broke a rule: a 5xx, an InternalError, or a refused request that wrote. */
export interface Violation {
  readonly rule: '5xx' | 'InternalError' | 'refused request changed the database';
  readonly target: string;
  readonly operation: string;
  readonly status: number;
  readonly detail: string;
  readonly query?: string;
}

/** Counts per API: cases tried, refused, and the violations found. */
export interface Tally {
  cases: number;
  refused: number;
  statuses: Record<string, number>;
  errorCodes: Record<string, number>;
}

const INTERNAL_ERROR = 10;

/** Collections written on a timer rather than by requests: the gateway's heartbeat intake pulse. */
const BACKGROUND_COLLECTIONS: ReadonlySet<string> = new Set([HEARTBEAT_INTAKE]);

/**
 * Judges every response the fuzzer gets: no 5xx, no `extensions.error_code` 10 (InternalError),
 * and for a refused request (an HTTP error, or GraphQL errors with every root field null) the
 * database exactly as it was before the request.
 */
export class Oracle {
  readonly tallies = new Map<string, Tally>();
  readonly violations: Violation[] = [];
  private before: Map<string, string> | undefined;

  constructor(
    private readonly db: Db,
    /** Headers a request of `target` needs, made fresh per case (e.g. a one-time token). */
    private readonly headersFor: (target: string, operation: string) => Promise<Record<string, string>>,
  ) {}

  /** Prepares one case: its credentials first, then the database snapshot to compare with. */
  async beforeCall(target: string, operation: string): Promise<Record<string, string>> {
    const headers = await this.headersFor(target, operation);
    this.before = await this.snapshot();
    return headers;
  }

  async afterCall(x: Exchange): Promise<Violation[]> {
    const tally = this.tally(x.target);
    tally.cases++;
    tally.statuses[x.status] = (tally.statuses[x.status] ?? 0) + 1;
    const found: Violation[] = [];
    const report = (rule: Violation['rule'], detail: string) =>
      found.push({
        rule,
        target: x.target,
        operation: x.operation,
        status: x.status,
        detail,
        ...(x.query && { query: x.query }),
      });
    if (x.status >= 500) report('5xx', JSON.stringify(x.body).slice(0, 500));
    const errors = graphqlErrors(x.body);
    for (const e of errors) {
      const code = e.extensions?.error_code;
      tally.errorCodes[String(code)] = (tally.errorCodes[String(code)] ?? 0) + 1;
      if (code === INTERNAL_ERROR) report('InternalError', JSON.stringify(e).slice(0, 500));
    }
    if (isRefused(x.status, x.body)) {
      tally.refused++;
      const before = this.before;
      const after = await this.snapshot();
      const changed = before ? diff(before, after) : [];
      if (changed.length > 0)
        report('refused request changed the database', `changed: ${changed.join(', ')}`);
    }
    this.before = undefined;
    this.violations.push(...found);
    return found;
  }

  /** A digest of every document, by `collection/_id` (background collections left out). */
  async snapshot(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const collections = await this.db.listCollections({}, { nameOnly: true }).toArray();
    for (const { name } of collections) {
      if (BACKGROUND_COLLECTIONS.has(name)) continue;
      for (const doc of await this.db.collection(name).find({}).toArray()) {
        out.set(`${name}/${String(doc._id)}`, createHash('sha256').update(JSON.stringify(doc)).digest('hex'));
      }
    }
    return out;
  }

  private tally(target: string): Tally {
    let t = this.tallies.get(target);
    if (!t) this.tallies.set(target, (t = { cases: 0, refused: 0, statuses: {}, errorCodes: {} }));
    return t;
  }

  /** Serves the oracle to the fuzzer's hooks on a free loopback port. */
  async listen(): Promise<{ url: string; close(): Promise<void> }> {
    const server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (d: Buffer) => (raw += d.toString()));
      req.on('end', () => {
        void (async () => {
          try {
            const input = JSON.parse(raw || '{}') as Exchange;
            const answer =
              req.url === '/before'
                ? { headers: await this.beforeCall(input.target, input.operation) }
                : { violations: await this.afterCall(input) };
            res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
          } catch (err) {
            res.writeHead(500).end(err instanceof Error ? err.stack : String(err));
          }
        })();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }
}

interface GraphQLErrorShape {
  readonly message?: string;
  readonly extensions?: { error_code?: unknown };
}

function graphqlErrors(body: unknown): GraphQLErrorShape[] {
  if (typeof body !== 'object' || body === null) return [];
  const errors = (body as { errors?: unknown }).errors;
  return Array.isArray(errors) ? (errors as GraphQLErrorShape[]) : [];
}

/** An HTTP error, or GraphQL errors with no root field answered. */
export function isRefused(status: number, body: unknown): boolean {
  if (status >= 400) return true;
  if (graphqlErrors(body).length === 0) return false;
  const data = (body as { data?: unknown }).data;
  if (data === null || data === undefined) return true;
  return typeof data === 'object' && Object.values(data).every((v) => v === null);
}

/** The documents added, removed or changed between two snapshots. */
function diff(a: Map<string, string>, b: Map<string, string>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k)).sort();
}
