import type { BundleInstanceAuthRecord } from '../../domain/bundle-instance-auth';
import { statusOf } from '../../domain/bundle-instance-auth';
import type { Webhook } from '../../domain/webhook';
import {
  buildCreationRequest,
  defaultRequestBody,
  readCreationAnswer,
  readStatusAnswer,
  retryAfterMs,
} from '../../domain/webhook-contract';

const NOW = Date.parse('2026-01-01T00:00:00Z');

function fixRecord(extra: Partial<BundleInstanceAuthRecord> = {}): BundleInstanceAuthRecord {
  return {
    id: 'bia-1',
    tenantId: 't-1',
    bundleId: 'b-1',
    applicationId: 'app-1',
    createdAt: '2026-01-01T00:00:00Z',
    status: statusOf('PENDING', 'PendingNotification', '2026-01-01T00:00:00Z'),
    ...extra,
  };
}

function fixWebhook(extra: Partial<Webhook> = {}): Webhook {
  return {
    id: 'wh-1',
    tenantId: 't-1',
    applicationId: 'app-1',
    type: 'BUNDLE_INSTANCE_AUTH_CREATION',
    url: 'https://erp.example.com/hooks/credentials',
    ...extra,
  } as Webhook;
}

const answer = (status: number, json?: unknown, headers: Record<string, string> = {}) => ({
  status,
  headers,
  body: json === undefined ? '' : JSON.stringify(json),
});
const AUTH = { credential: { basic: { username: 'u', password: 'p' } } };

describe('the default webhook contract', () => {
  it('POSTs the request as JSON, with context and inputParams parsed', () => {
    const record = fixRecord({ runtimeId: 'rt-1', context: '{"ns":"a"}', inputParams: 'not json' });
    expect(defaultRequestBody(record)).toEqual({
      type: 'BUNDLE_INSTANCE_AUTH_CREATION',
      tenantId: 't-1',
      applicationId: 'app-1',
      bundleId: 'b-1',
      bundleInstanceAuthId: 'bia-1',
      runtimeId: 'rt-1',
      context: { ns: 'a' },
      inputParams: 'not json',
    });
    const req = buildCreationRequest(fixWebhook({ correlationIdKey: 'X-Correlation-ID' }), record);
    expect(req).toMatchObject({
      method: 'POST',
      url: 'https://erp.example.com/hooks/credentials',
      headers: { 'content-type': 'application/json', 'x-correlation-id': 'bia-1' },
    });
    expect(JSON.parse(req.body!)).toEqual(defaultRequestBody(record));
  });

  it('reads credentials from a 2xx {"auth"} answer, and an error from {"error"}', () => {
    const hook = fixWebhook();
    expect(readCreationAnswer(hook, answer(200, { auth: AUTH }), NOW)).toMatchObject({ kind: 'succeeded' });
    expect(
      readCreationAnswer(hook, answer(400, { error: { reason: 'NoPlan', message: 'no plan' } }), NOW),
    ).toEqual({ kind: 'failed', reason: 'NoPlan', message: 'no plan' });
    expect(readCreationAnswer(hook, answer(200, { error: 'broken' }), NOW)).toEqual({
      kind: 'failed',
      reason: 'WebhookFailed',
      message: 'broken',
    });
    expect(readCreationAnswer(hook, answer(200, {}), NOW)).toMatchObject({
      kind: 'failed',
      reason: 'InvalidResponse',
    });
    expect(readCreationAnswer(hook, answer(200, { auth: { credential: {} } }), NOW)).toMatchObject({
      kind: 'failed',
      reason: 'InvalidResponse',
    });
  });

  it('retries transient answers (honouring Retry-After) and gives up on 410 Gone', () => {
    const hook = fixWebhook();
    expect(readCreationAnswer(hook, answer(503, undefined, { 'retry-after': '7' }), NOW)).toEqual({
      kind: 'retry',
      message: 'the webhook answered 503',
      retryAfterMs: 7000,
    });
    expect(readCreationAnswer(hook, answer(429), NOW)).toMatchObject({ kind: 'retry' });
    expect(readCreationAnswer(hook, answer(410), NOW)).toMatchObject({ kind: 'gone' });
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', NOW)).toBe(30_000);
    expect(retryAfterMs('soon', NOW)).toBeUndefined();
  });

  it('ASYNC answers give a location to poll; ASYNC_CALLBACK answers are accepted', () => {
    expect(
      readCreationAnswer(fixWebhook({ mode: 'ASYNC' }), answer(202, undefined, { location: '/s/1' }), NOW),
    ).toEqual({ kind: 'in-progress', location: '/s/1' });
    expect(readCreationAnswer(fixWebhook({ mode: 'ASYNC' }), answer(202), NOW)).toMatchObject({
      kind: 'failed',
      reason: 'InvalidResponse',
    });
    expect(readCreationAnswer(fixWebhook({ mode: 'ASYNC_CALLBACK' }), answer(202), NOW)).toEqual({
      kind: 'accepted',
    });
  });

  it('status polls read IN_PROGRESS, SUCCEEDED with the auth, FAILED with the error', () => {
    const hook = fixWebhook({ mode: 'ASYNC' });
    expect(readStatusAnswer(hook, answer(200, { status: 'IN_PROGRESS' }), NOW)).toEqual({
      kind: 'in-progress',
    });
    expect(readStatusAnswer(hook, answer(200, { status: 'SUCCEEDED', auth: AUTH }), NOW)).toMatchObject({
      kind: 'succeeded',
    });
    expect(readStatusAnswer(hook, answer(200, { status: 'FAILED', error: 'down' }), NOW)).toEqual({
      kind: 'failed',
      reason: 'WebhookFailed',
      message: 'down',
    });
    expect(readStatusAnswer(hook, answer(200, { status: 'WHAT' }), NOW)).toMatchObject({
      kind: 'failed',
      reason: 'InvalidResponse',
    });
  });

  it('templates adapt an existing API: URL, headers, body and answer', () => {
    const hook = fixWebhook({
      urlTemplate: '{"method": "PUT", "path": "/v2/creds/{{.BundleInstanceAuth.ID}}"}',
      headerTemplate: '{"X-Tenant": ["{{.TenantID}}"]}',
      inputTemplate: '{"app": "{{.Application.ID}}", "ctx": {{.BundleInstanceAuth.Context}}}',
      outputTemplate: '{"auth": {{.Body.creds}}, "success_status_code": 201}',
    });
    const req = buildCreationRequest(hook, fixRecord({ context: '{"ns":"a"}' }));
    expect(req).toMatchObject({
      method: 'PUT',
      url: 'https://erp.example.com/v2/creds/bia-1',
      headers: { 'x-tenant': 't-1' },
    });
    expect(JSON.parse(req.body!)).toEqual({ app: 'app-1', ctx: { ns: 'a' } });
    expect(readCreationAnswer(hook, answer(201, { creds: AUTH }), NOW)).toMatchObject({ kind: 'succeeded' });
    expect(readCreationAnswer(hook, answer(200, { creds: AUTH }), NOW)).toMatchObject({ kind: 'failed' });
  });
});
