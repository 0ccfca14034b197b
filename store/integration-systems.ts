import type { Db } from 'mongodb';
import type { IntegrationSystem, IntegrationSystemPage } from '../domain/integration-system';
import { mapPage, type PageRequest } from '../domain/pagination';
import { GlobalCollection } from './global-collection';
import { fromStored, toStored } from './documents';

export interface IntegrationSystemDocument {
  _id: string;
  name: string;
  description?: string;
}

export const INTEGRATION_SYSTEMS = 'integration_systems';

/** Integration system names are unique across the whole system. */
export async function ensureIntegrationSystemIndexes(db: Db): Promise<void> {
  await db.collection(INTEGRATION_SYSTEMS).createIndex({ name: 1 }, { unique: true, name: 'name_unique' });
}

/** Global integration systems: every tenant sees the same ones. */
export class IntegrationSystemRepository {
  private readonly col: GlobalCollection<IntegrationSystemDocument>;

  constructor(db: Db) {
    this.col = new GlobalCollection<IntegrationSystemDocument>(db, INTEGRATION_SYSTEMS, 'integrationSystem');
  }

  async getGlobal(id: string): Promise<IntegrationSystem | undefined> {
    const doc = await this.col.getGlobal(id);
    return doc && toSystem(doc);
  }

  async listGlobal(page: PageRequest): Promise<IntegrationSystemPage> {
    const result = await this.col.pageGlobal(page);
    return mapPage(result, toSystem);
  }

  /** Creates the system; NotUnique when its name is taken. */
  async insertGlobal(system: IntegrationSystem): Promise<IntegrationSystem> {
    await this.col.insertGlobal(toDocument(system));
    return system;
  }

  /** Replaces the system; undefined when it does not exist, NotUnique when the new name is taken. */
  async replaceGlobal(system: IntegrationSystem): Promise<IntegrationSystem | undefined> {
    return (await this.col.replaceGlobal(toDocument(system))) && system;
  }

  async deleteGlobal(id: string): Promise<IntegrationSystem | undefined> {
    const doc = await this.col.deleteGlobal(id);
    return doc && toSystem(doc);
  }
}

const toDocument = (s: IntegrationSystem): IntegrationSystemDocument => toStored(s);
const toSystem = (doc: IntegrationSystemDocument): IntegrationSystem => fromStored(doc);
