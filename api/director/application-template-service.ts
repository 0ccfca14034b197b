import { randomUUID } from 'node:crypto';
import {
  type ApplicationTemplate,
  type ApplicationTemplatePage,
  validateApplicationTemplateInput,
} from '../../domain/application-template';
import { InvalidDataError, NotFoundError } from '../../domain/errors';
import { parsePageRequest } from '../../domain/pagination';
import {
  type TemplateValue,
  resolveTemplateValues,
  substitutePlaceholders,
} from '../../domain/template-placeholders';
import type { ApplicationTemplateRepository } from '../../store/application-templates';

/** What `registerApplicationFromTemplate` receives. */
export interface ApplicationFromTemplateInput {
  readonly templateName: string;
  readonly values?: readonly TemplateValue[] | null;
}

const OBJECT = 'applicationTemplate';

/**
 * Application templates: global blueprints, validated whole when written, and turned into
 * registration inputs by substituting placeholder values.
 */
export class ApplicationTemplateService {
  constructor(private readonly templates: ApplicationTemplateRepository) {}

  get(id: string): Promise<ApplicationTemplate | undefined> {
    return this.templates.getGlobal(id);
  }

  list(first: number | null | undefined, after: string | null | undefined): Promise<ApplicationTemplatePage> {
    return this.templates.listGlobal(parsePageRequest(first, after));
  }

  /** Creates a template; a broken one (22) or a taken name (21) is refused. */
  create(input: unknown): Promise<ApplicationTemplate> {
    const fields = validateApplicationTemplateInput(input);
    return this.templates.insertGlobal({ id: randomUUID(), ...fields });
  }

  /** Replaces every field of a template; applications registered from it are unaffected. */
  async update(id: string, input: unknown): Promise<ApplicationTemplate> {
    const fields = validateApplicationTemplateInput(input);
    const updated = await this.templates.replaceGlobal({ id, ...fields });
    if (!updated) throw new NotFoundError(OBJECT, id);
    return updated;
  }

  async delete(id: string): Promise<ApplicationTemplate> {
    const removed = await this.templates.deleteGlobal(id);
    if (!removed) throw new NotFoundError(OBJECT, id);
    return removed;
  }

  /**
   * The registration input the named template produces with the given values: every
   * placeholder needs a value and unknown placeholders are refused (22). The result is
   * validated by the registration itself, so nothing is written when it is invalid.
   */
  async applicationInputFor(input: ApplicationFromTemplateInput): Promise<unknown> {
    if (typeof input.templateName !== 'string' || input.templateName === '') {
      throw new InvalidDataError('ApplicationFromTemplateInput', { templateName: 'cannot be blank' });
    }
    const template = await this.templates.getByNameGlobal(input.templateName);
    if (!template) throw new NotFoundError(OBJECT, input.templateName);
    const values = resolveTemplateValues(
      template.placeholders.map((p) => p.name),
      input.values,
    );
    return JSON.parse(substitutePlaceholders(template.applicationInput, values)) as unknown;
  }
}
