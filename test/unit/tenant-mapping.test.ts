import { InvalidDataError } from '../../domain/errors';
import { pageHealthChecks, type HealthCheck } from '../../domain/health-check';
import { validateTenantMappings } from '../../domain/tenant-mapping';

function fixMapping(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'ACME', externalTenant: 'acme', type: 'account', provider: 'admin', ...overrides };
}

describe('tenant mappings', () => {
  it('turns each mapping into a tenant identified by its external tenant', () => {
    expect(
      validateTenantMappings([fixMapping(), fixMapping({ externalTenant: 'b', name: 'B', region: 'eu' })]),
    ).toEqual([
      { id: 'acme', name: 'ACME' },
      { id: 'b', name: 'B' },
    ]);
  });

  it('refuses the whole list when one entry is invalid', () => {
    const call = () =>
      validateTenantMappings([
        fixMapping(),
        fixMapping({ externalTenant: 'bad tenant', name: '', type: '' }),
        fixMapping(),
      ]);
    expect(call).toThrow(InvalidDataError);
    expect(call).toThrow(
      'Invalid data BusinessTenantMappingInput [in[1].name=cannot be blank; in[1].type=cannot be blank; in[1].externalTenant=must be 1-128 letters, digits, dots, dashes or underscores; in[2].externalTenant=appears more than once]',
    );
  });
});

describe('health check pages', () => {
  const check = (origin: string): HealthCheck => ({
    type: 'MANAGEMENT_PLANE_APPLICATION_HEALTHCHECK',
    condition: 'SUCCEEDED',
    origin,
    message: `${origin} answered`,
    timestamp: '2024-01-01T00:00:00.000Z',
  });

  it('orders by origin and pages with the origin as cursor', () => {
    const first = pageHealthChecks([check('temporal'), check('mongodb')], {}, { first: 1 });
    expect(first.data.map((c) => c.origin)).toEqual(['mongodb']);
    expect(first).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    const second = pageHealthChecks(
      [check('temporal'), check('mongodb')],
      {},
      { first: 1, after: 'mongodb' },
    );
    expect(second.data.map((c) => c.origin)).toEqual(['temporal']);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it('narrows by origin and type', () => {
    const checks = [check('temporal'), check('mongodb')];
    expect(pageHealthChecks(checks, { origin: 'temporal' }, { first: 5 }).data).toEqual([check('temporal')]);
    expect(pageHealthChecks(checks, { types: [] }, { first: 5 }).totalCount).toBe(0);
  });
});
