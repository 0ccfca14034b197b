import type { Db } from 'mongodb';
import { NotUniqueError } from '../domain/errors';
import type { LabelDefinition } from '../domain/label-definitions';
import { APPLICATIONS } from './applications';
import { RUNTIME_CONTEXTS } from './runtime-contexts';
import { RUNTIMES } from './runtimes';
import { TenantCollection } from './tenant-collection';

/** A label definition as stored; `_id` is `<tenant>/<key>` so keys repeat across tenants. */
export interface LabelDefinitionDocument {
  _id: string;
  tenantId: string;
  key: string;
  /** JSON Schema serialised as a string: schemas may use `$`-keys a document cannot hold. */
  schema?: string;
}

export const LABEL_DEFINITIONS = 'label_definitions';

/**
 * Collections whose documents carry labels, embedded as `labels: { key: value }`. Label
 * definition changes check and clean these.
 */
export const LABELLED_COLLECTIONS = [APPLICATIONS, RUNTIMES, RUNTIME_CONTEXTS] as const;

const OBJECT_TYPES: Record<(typeof LABELLED_COLLECTIONS)[number], string> = {
  [APPLICATIONS]: 'Application',
  [RUNTIMES]: 'Runtime',
  [RUNTIME_CONTEXTS]: 'Runtime Context',
};

/** One label in use: its value and the object that carries it. */
export interface LabelUse {
  readonly objectType: string;
  readonly objectId: string;
  readonly value: unknown;
}

export async function ensureLabelDefinitionIndexes(db: Db): Promise<void> {
  await db
    .collection(LABEL_DEFINITIONS)
    .createIndex({ tenantId: 1, key: 1 }, { unique: true, name: 'tenant_key_unique' });
}

/** Tenant-scoped label definitions and the label usage they govern. */
export class LabelDefinitionRepository {
  private readonly col: TenantCollection<LabelDefinitionDocument>;

  constructor(private readonly db: Db) {
    this.col = new TenantCollection<LabelDefinitionDocument>(db, LABEL_DEFINITIONS, 'LabelDefinition');
  }

  async get(tenantId: string, key: string): Promise<LabelDefinition | undefined> {
    const doc = await this.col.get(tenantId, docId(tenantId, key));
    return doc && toDefinition(doc);
  }

  async list(tenantId: string): Promise<LabelDefinition[]> {
    const docs = await this.col.find(tenantId);
    return docs.map(toDefinition).sort((a, b) => a.key.localeCompare(b.key));
  }

  /** Creates the definition; NotUnique when the key is defined already. */
  async insert(def: LabelDefinition): Promise<LabelDefinition> {
    await this.col.insert(toDocument(def));
    return def;
  }

  /**
   * Creates the definition unless one exists for the key, and returns whichever is stored:
   * safe when several requests create the same definition at once, and never replaces a
   * definition someone else created meanwhile.
   */
  async ensure(def: LabelDefinition): Promise<LabelDefinition> {
    try {
      await this.col.insert(toDocument(def));
      return def;
    } catch (err) {
      if (!(err instanceof NotUniqueError)) throw err;
      return (await this.get(def.tenantId, def.key)) ?? def;
    }
  }

  /** Creates or replaces the definition (idempotent). */
  async put(def: LabelDefinition): Promise<LabelDefinition> {
    await this.col.put(toDocument(def));
    return def;
  }

  delete(tenantId: string, key: string): Promise<boolean> {
    return this.col.delete(tenantId, docId(tenantId, key));
  }

  /**
   * Every label `key` of the tenant's labelled objects, with the object carrying it (named
   * as Compass names labelled objects in messages).
   */
  async labelsWithKey(tenantId: string, key: string): Promise<LabelUse[]> {
    const path = `labels.${key}`;
    const uses: LabelUse[] = [];
    for (const name of LABELLED_COLLECTIONS) {
      const docs = await this.db
        .collection<{ _id: string; labels: Record<string, unknown> }>(name)
        .find({ tenantId, [path]: { $exists: true } }, { projection: { [path]: 1 } })
        .toArray();
      for (const d of docs)
        uses.push({ objectType: OBJECT_TYPES[name], objectId: d._id, value: d.labels[key] });
    }
    return uses;
  }

  /** Whether any labelled object of the tenant carries label `key`: stops at the first one. */
  async isUsed(tenantId: string, key: string): Promise<boolean> {
    const path = `labels.${key}`;
    for (const name of LABELLED_COLLECTIONS) {
      const found = await this.db
        .collection(name)
        .findOne({ tenantId, [path]: { $exists: true } }, { projection: { _id: 1 } });
      if (found) return true;
    }
    return false;
  }

  /** Removes label `key` from every labelled object of the tenant. */
  async deleteLabels(tenantId: string, key: string): Promise<void> {
    const path = `labels.${key}`;
    for (const name of LABELLED_COLLECTIONS) {
      await this.db
        .collection(name)
        .updateMany({ tenantId, [path]: { $exists: true } }, { $unset: { [path]: '' } });
    }
  }
}

function docId(tenantId: string, key: string): string {
  return `${tenantId}/${key}`;
}

function toDocument(def: LabelDefinition): LabelDefinitionDocument {
  return {
    _id: docId(def.tenantId, def.key),
    tenantId: def.tenantId,
    key: def.key,
    ...(def.schema !== undefined && { schema: JSON.stringify(def.schema) }),
  };
}

function toDefinition(doc: LabelDefinitionDocument): LabelDefinition {
  return {
    tenantId: doc.tenantId,
    key: doc.key,
    ...(doc.schema !== undefined && { schema: JSON.parse(doc.schema) as Record<string, unknown> }),
  };
}
