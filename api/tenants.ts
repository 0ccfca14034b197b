import { TenantNotFoundError } from '../domain/errors';
import { parseTenantId } from '../domain/tenant';
import type { TenantRepository } from '../store/tenants';

/**
 * Turns the `Tenant` header into a known tenant. With auto-creation (the embedded default) an
 * unknown tenant named by a valid caller is created on first use; without it, it is refused
 * with TenantNotFound (25). Known tenants are remembered for the life of the process.
 */
export class TenantResolver {
  private readonly known = new Set<string>();

  constructor(
    private readonly tenants: TenantRepository,
    private readonly autoCreate: boolean,
  ) {}

  async resolve(header: string | undefined): Promise<string> {
    const id = parseTenantId(header);
    if (this.known.has(id)) return id;
    const existing = await this.tenants.get(id);
    if (!existing) {
      if (!this.autoCreate) throw new TenantNotFoundError(id);
      await this.tenants.ensure(id, id, new Date().toISOString());
    }
    this.known.add(id);
    return id;
  }
}
