import type { Db, Filter } from 'mongodb';
import { mapPage, type Page, type PageRequest } from '../domain/pagination';
import type { AutomaticScenarioAssignment, LabelSelector } from '../domain/scenario-assignment';
import { TenantCollection } from './tenant-collection';

/** An assignment as stored; `_id` is `<tenant>/<scenarioName>`, so one per scenario. */
export interface ScenarioAssignmentDocument {
  _id: string;
  tenantId: string;
  scenarioName: string;
  selector: { key: string; value: string };
}

export const SCENARIO_ASSIGNMENTS = 'automatic_scenario_assignments';

export async function ensureScenarioAssignmentIndexes(db: Db): Promise<void> {
  const col = db.collection<ScenarioAssignmentDocument>(SCENARIO_ASSIGNMENTS);
  await col.createIndex({ tenantId: 1, _id: 1 }, { name: 'tenant_id' });
  await col.createIndex({ tenantId: 1, 'selector.key': 1, 'selector.value': 1 }, { name: 'tenant_selector' });
}

/** Tenant-scoped automatic scenario assignments. */
export class ScenarioAssignmentRepository {
  private readonly col: TenantCollection<ScenarioAssignmentDocument>;

  constructor(db: Db) {
    this.col = new TenantCollection<ScenarioAssignmentDocument>(
      db,
      SCENARIO_ASSIGNMENTS,
      'AutomaticScenarioAssignment',
    );
  }

  async get(tenantId: string, scenarioName: string): Promise<AutomaticScenarioAssignment | undefined> {
    const doc = await this.col.get(tenantId, docId(tenantId, scenarioName));
    return doc && toAssignment(doc);
  }

  async all(tenantId: string): Promise<AutomaticScenarioAssignment[]> {
    return (await this.col.find(tenantId)).map(toAssignment);
  }

  async page(tenantId: string, page: PageRequest): Promise<Page<AutomaticScenarioAssignment>> {
    const result = await this.col.page(tenantId, {}, page);
    return mapPage(result, toAssignment);
  }

  async forSelector(tenantId: string, selector: LabelSelector): Promise<AutomaticScenarioAssignment[]> {
    const docs = await this.col.find(tenantId, {
      'selector.key': selector.key,
      'selector.value': selector.value,
    } as Filter<ScenarioAssignmentDocument>);
    return docs.map(toAssignment).sort((a, b) => a.scenarioName.localeCompare(b.scenarioName));
  }

  /** Creates the assignment; NotUnique when the scenario has one already. */
  async insert(a: AutomaticScenarioAssignment): Promise<AutomaticScenarioAssignment> {
    await this.col.insert({
      _id: docId(a.tenantId, a.scenarioName),
      tenantId: a.tenantId,
      scenarioName: a.scenarioName,
      selector: { key: a.selector.key, value: a.selector.value },
    });
    return a;
  }

  delete(tenantId: string, scenarioName: string): Promise<boolean> {
    return this.col.delete(tenantId, docId(tenantId, scenarioName));
  }
}

function docId(tenantId: string, scenarioName: string): string {
  return `${tenantId}/${scenarioName}`;
}

function toAssignment(doc: ScenarioAssignmentDocument): AutomaticScenarioAssignment {
  return { tenantId: doc.tenantId, scenarioName: doc.scenarioName, selector: { ...doc.selector } };
}
