import type { ApplicationPage } from '../../domain/application';
import { NotFoundError } from '../../domain/errors';
import { emptyPage, mapPage, parsePageRequest } from '../../domain/pagination';
import { normalizeApplicationName } from '../../domain/application-name';
import { scenariosOf, wantsNormalizedNames } from '../../domain/runtime';
import type { ApplicationRepository, HideSelectors } from '../../store/applications';
import type { RuntimeRepository } from '../../store/runtimes';

export interface RuntimeApplicationsServiceDeps {
  readonly runtimes: RuntimeRepository;
  readonly applications: Pick<ApplicationRepository, 'list'>;
  /** Configured label values that hide applications from runtimes (APP_HIDE_SELECTORS). */
  readonly hideSelectors: HideSelectors;
}

/** What a runtime sees: the applications sharing a scenario with it (`applicationsForRuntime`). */
export class RuntimeApplicationsService {
  constructor(private readonly deps: RuntimeApplicationsServiceDeps) {}

  /**
   * Applications sharing at least one scenario with the runtime, minus hidden ones, with
   * names normalized (`mp-<name>`) unless the runtime has `isNormalized: "false"`.
   */
  async list(
    tenantId: string,
    runtimeId: string,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<ApplicationPage> {
    const request = parsePageRequest(first, after);
    const runtime = await this.deps.runtimes.get(tenantId, runtimeId);
    if (!runtime) throw new NotFoundError('runtime', runtimeId);
    const scenarios = scenariosOf(runtime.labels);
    if (scenarios.length === 0) {
      return emptyPage(request);
    }
    const page = await this.deps.applications.list(
      tenantId,
      request,
      [{ kind: 'anyOf', key: 'scenarios', values: scenarios }],
      this.deps.hideSelectors,
    );
    if (!wantsNormalizedNames(runtime)) return page;
    return mapPage(page, (app) => ({ ...app, name: normalizeApplicationName(app.name) }));
  }
}
