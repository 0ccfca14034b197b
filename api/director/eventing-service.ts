import type { Application } from '../../domain/application';
import { normalizeApplicationName } from '../../domain/application-name';
import { InvalidOperationError, NotFoundError } from '../../domain/errors';
import {
  type Runtime,
  defaultEventingLabel,
  runtimeEventingURL,
  scenariosOf,
  sharesScenario,
  wantsNormalizedNames,
} from '../../domain/runtime';
import type { ApplicationRepository } from '../../store/applications';
import type { RuntimeRepository } from '../../store/runtimes';

export interface EventingServiceDeps {
  readonly applications: ApplicationRepository;
  readonly runtimes: RuntimeRepository;
}

/** An eventing configuration as the GraphQL types return it. */
export interface EventingConfiguration {
  readonly defaultURL: string;
}

/**
 * Default eventing: each application sends its events through one runtime sharing a scenario
 * with it, marked by the runtime label `<appId>_defaultEventing: "true"`. Without a marked
 * runtime, the oldest runtime sharing a scenario is chosen (and marked) on first read.
 */
export class EventingService {
  constructor(private readonly deps: EventingServiceDeps) {}

  /** The configurations of several applications of one tenant, with one runtime query. */
  async forApplications(tenantId: string, apps: readonly Application[]): Promise<EventingConfiguration[]> {
    const all = await this.deps.runtimes.findInScenarios(tenantId, [
      ...new Set(apps.flatMap((a) => scenariosOf(a.labels))),
    ]);
    const out: EventingConfiguration[] = [];
    for (const app of apps) {
      const candidates = all.filter((r) => sharesScenario(app.labels, r.labels));
      const label = defaultEventingLabel(app.id);
      let chosen = candidates.find((r) => r.labels[label] === 'true');
      if (!chosen && candidates[0]) {
        chosen = candidates[0];
        await this.mark(tenantId, app.id, chosen.id);
      }
      out.push({ defaultURL: chosen ? eventURL(chosen, app) : '' });
    }
    return out;
  }

  /** Makes the runtime the application's eventing runtime; they must share a scenario. */
  async setDefault(tenantId: string, appId: string, runtimeId: string): Promise<EventingConfiguration> {
    const app = await this.deps.applications.get(tenantId, appId);
    if (!app) throw new NotFoundError('application', appId);
    const runtime = await this.deps.runtimes.get(tenantId, runtimeId);
    if (!runtime) throw new NotFoundError('runtime', runtimeId);
    if (!sharesScenario(app.labels, runtime.labels)) {
      throw new InvalidOperationError('the runtime shares no scenario with the application', {
        applicationID: appId,
        runtimeID: runtimeId,
      });
    }
    await this.mark(tenantId, appId, runtimeId);
    return { defaultURL: eventURL(runtime, app) };
  }

  /** Forgets the application's eventing runtime; returns the configuration as it was. */
  async deleteDefault(tenantId: string, appId: string): Promise<EventingConfiguration> {
    const app = await this.deps.applications.get(tenantId, appId);
    if (!app) throw new NotFoundError('application', appId);
    const label = defaultEventingLabel(appId);
    const marked = (await this.deps.runtimes.findByLabel(tenantId, label, 'true')).find((r) =>
      sharesScenario(app.labels, r.labels),
    );
    await this.deps.runtimes.unsetLabelEverywhere(tenantId, label);
    return { defaultURL: marked ? eventURL(marked, app) : '' };
  }

  private async mark(tenantId: string, appId: string, runtimeId: string): Promise<void> {
    const label = defaultEventingLabel(appId);
    await this.deps.runtimes.unsetLabelEverywhere(tenantId, label);
    await this.deps.runtimes.setLabel(tenantId, runtimeId, label, 'true');
  }
}

/** The runtime's event service URL with the path `/<applicationName>/v1/events`, or "". */
function eventURL(runtime: Runtime, app: Application): string {
  const base = runtimeEventingURL(runtime);
  if (base === '') return '';
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return '';
  }
  const name = wantsNormalizedNames(runtime) ? normalizeApplicationName(app.name) : app.name;
  url.pathname = `/${name}/v1/events`;
  return url.toString();
}
