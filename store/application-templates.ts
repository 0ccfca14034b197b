import type { Db } from 'mongodb';
import type {
  ApplicationTemplate,
  ApplicationTemplateAccessLevel,
  ApplicationTemplatePage,
  PlaceholderDefinition,
} from '../domain/application-template';
import { mapPage, type PageRequest } from '../domain/pagination';
import { GlobalCollection } from './global-collection';
import { fromStored } from './documents';

/**
 * How a template is stored. `applicationInput` stays JSON text: an application input may
 * hold keys a document cannot (`$`-prefixed, dotted) and is only ever used whole.
 */
export interface ApplicationTemplateDocument {
  _id: string;
  name: string;
  description?: string;
  applicationInput: string;
  placeholders: PlaceholderDefinition[];
  accessLevel: ApplicationTemplateAccessLevel;
}

export const APPLICATION_TEMPLATES = 'application_templates';

/** Template names are unique across the whole system (they are global and used by name). */
export async function ensureApplicationTemplateIndexes(db: Db): Promise<void> {
  await db.collection(APPLICATION_TEMPLATES).createIndex({ name: 1 }, { unique: true, name: 'name_unique' });
}

/** Global application templates: every tenant sees the same ones. */
export class ApplicationTemplateRepository {
  private readonly col: GlobalCollection<ApplicationTemplateDocument>;

  constructor(db: Db) {
    this.col = new GlobalCollection<ApplicationTemplateDocument>(
      db,
      APPLICATION_TEMPLATES,
      'applicationTemplate',
    );
  }

  async getGlobal(id: string): Promise<ApplicationTemplate | undefined> {
    const doc = await this.col.getGlobal(id);
    return doc && toTemplate(doc);
  }

  async getByNameGlobal(name: string): Promise<ApplicationTemplate | undefined> {
    const doc = await this.col.findOneGlobal({ name });
    return doc && toTemplate(doc);
  }

  async listGlobal(page: PageRequest): Promise<ApplicationTemplatePage> {
    const result = await this.col.pageGlobal(page);
    return mapPage(result, toTemplate);
  }

  /** Creates the template; NotUnique when its name is taken. */
  async insertGlobal(template: ApplicationTemplate): Promise<ApplicationTemplate> {
    await this.col.insertGlobal(toDocument(template));
    return template;
  }

  /** Replaces the template; undefined when it does not exist, NotUnique when the new name is taken. */
  async replaceGlobal(template: ApplicationTemplate): Promise<ApplicationTemplate | undefined> {
    return (await this.col.replaceGlobal(toDocument(template))) && template;
  }

  async deleteGlobal(id: string): Promise<ApplicationTemplate | undefined> {
    const doc = await this.col.deleteGlobal(id);
    return doc && toTemplate(doc);
  }
}

function toDocument(t: ApplicationTemplate): ApplicationTemplateDocument {
  const { id, placeholders, ...rest } = t;
  return { _id: id, ...rest, placeholders: placeholders.map((p) => ({ ...p })) };
}

const toTemplate = (doc: ApplicationTemplateDocument): ApplicationTemplate => fromStored(doc);
