import { randomUUID } from 'node:crypto';
import {
  type IntegrationSystem,
  type IntegrationSystemPage,
  validateIntegrationSystemInput,
} from '../../domain/integration-system';
import { NotFoundError } from '../../domain/errors';
import { parsePageRequest } from '../../domain/pagination';
import type { IntegrationSystemRepository } from '../../store/integration-systems';

const OBJECT = 'integrationSystem';

/** Integration systems: global objects with unique names, plain validated writes. */
export class IntegrationSystemService {
  constructor(private readonly systems: IntegrationSystemRepository) {}

  get(id: string): Promise<IntegrationSystem | undefined> {
    return this.systems.getGlobal(id);
  }

  list(first: number | null | undefined, after: string | null | undefined): Promise<IntegrationSystemPage> {
    return this.systems.listGlobal(parsePageRequest(first, after));
  }

  /** Registers a system; invalid input (22) or a taken name (21) is refused. */
  register(input: unknown): Promise<IntegrationSystem> {
    return this.systems.insertGlobal({ id: randomUUID(), ...validateIntegrationSystemInput(input) });
  }

  async update(id: string, input: unknown): Promise<IntegrationSystem> {
    const updated = await this.systems.replaceGlobal({ id, ...validateIntegrationSystemInput(input) });
    if (!updated) throw new NotFoundError(OBJECT, id);
    return updated;
  }

  async unregister(id: string): Promise<IntegrationSystem> {
    const removed = await this.systems.deleteGlobal(id);
    if (!removed) throw new NotFoundError(OBJECT, id);
    return removed;
  }
}
