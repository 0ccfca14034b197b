import { type Tenant, validateTenantMappings } from '../../domain/tenant-mapping';
import type { TenantRepository } from '../../store/tenants';

/** Tenant administration: listing every tenant and creating them ahead of use. */
export class TenantService {
  constructor(private readonly tenants: TenantRepository) {}

  async list(): Promise<Tenant[]> {
    const docs = await this.tenants.listGlobal();
    return docs.map((d) => ({ id: d._id, name: d.name }));
  }

  /** Validates every mapping, then creates or renames each tenant; returns how many. */
  async write(input: unknown): Promise<number> {
    const tenants = validateTenantMappings(input);
    await this.tenants.writeGlobal(tenants, new Date().toISOString());
    return tenants.length;
  }

  /** Whether each tenant holds any application or runtime, in the order asked. */
  initialized(ids: readonly string[]): Promise<boolean[]> {
    return Promise.all(ids.map((id) => this.tenants.hasObjects(id)));
  }
}
