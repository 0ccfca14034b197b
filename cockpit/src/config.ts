/** What the gateway tells the page when it serves it (see api/cockpit.ts). */
export interface CockpitConfig {
  /** Base URL of the Temporal Web UI, for "Open in Temporal UI" links. */
  readonly temporalUiUrl: string;
  readonly temporalNamespace: string;
  /** A token of the local development issuer, only on a loopback gateway. */
  readonly devToken?: string;
}

function read(): CockpitConfig {
  const element = document.getElementById('cockpit-config');
  const parsed = element?.textContent ? (JSON.parse(element.textContent) as Partial<CockpitConfig>) : {};
  return {
    temporalUiUrl: parsed.temporalUiUrl ?? '',
    temporalNamespace: parsed.temporalNamespace ?? 'default',
    ...(parsed.devToken ? { devToken: parsed.devToken } : {}),
  };
}

export const config: CockpitConfig = read();
