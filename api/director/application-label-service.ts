import { checkLabelNotProtected } from '../../domain/application-labels';
import { InvalidDataError, NotFoundError } from '../../domain/errors';
import { checkLabels, labelKeyProblem } from '../../domain/labels';
import { FieldErrors } from '../../domain/validation';
import type { ApplicationRepository } from '../../store/applications';
import type { LabelDefinitionService } from './label-definition-service';

/** A label as the `Label` GraphQL type returns it. */
export interface Label {
  readonly key: string;
  readonly value: unknown;
}

/**
 * Application labels: plain metadata, written directly to MongoDB after validation against
 * the tenant's label definitions. The protected labels follow the application's own fields.
 */
export class ApplicationLabelService {
  constructor(
    private readonly applications: ApplicationRepository,
    private readonly labelDefinitions: Pick<LabelDefinitionService, 'validateLabels'>,
  ) {}

  /** Creates or replaces one label; NotFound when the application does not exist. */
  async set(tenantId: string, applicationId: string, key: string, value: unknown): Promise<Label> {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) throw new InvalidDataError('LabelInput', { key: keyProblem });
    checkLabelNotProtected(key);
    const errors = new FieldErrors();
    checkLabels(errors, 'value', { [key]: value });
    errors.throwIfAny('Label');
    if (!(await this.applications.get(tenantId, applicationId)))
      throw new NotFoundError('application', applicationId);
    await this.labelDefinitions.validateLabels(tenantId, { [key]: value });
    const app = await this.applications.setLabel(tenantId, applicationId, key, value);
    if (!app) throw new NotFoundError('application', applicationId);
    return { key, value: app.labels[key] };
  }

  /** Removes one label and returns it; NotFound when the application or the label is missing. */
  async delete(tenantId: string, applicationId: string, key: string): Promise<Label> {
    checkLabelNotProtected(key);
    const app = await this.applications.get(tenantId, applicationId);
    if (!app) throw new NotFoundError('application', applicationId);
    if (!Object.prototype.hasOwnProperty.call(app.labels, key)) throw new NotFoundError('label', key);
    await this.applications.deleteLabel(tenantId, applicationId, key);
    return { key, value: app.labels[key] };
  }
}
