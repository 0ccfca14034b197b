import { useMemo } from 'react';
import { Provider } from 'urql';
import { createClient, PROVISIONER_URL } from './client';
import { ProvisionerClientProvider } from './provisioner-client';
import { Shell } from './shell';
import { SignIn } from './sign-in';
import { decodeClaims, useSession } from './session';
import { href, navigate, useLocation } from './router';
import { Routes } from './routes';

const LAST_TENANT_KEY = 'cockpit.tenant';

/** The tenant a bare /cockpit opens: the token's own, the last one used, or "default". */
function defaultTenant(token: string): string {
  return decodeClaims(token)?.tenant ?? sessionStorage.getItem(LAST_TENANT_KEY) ?? 'default';
}

/** Signed out: the sign-in screen. Signed in: the console of the tenant named in the URL. */
export function App() {
  const { token, reason } = useSession();
  const location = useLocation();
  const tenant = location.segments[0];
  const client = useMemo(() => (token && tenant ? createClient(token, tenant) : undefined), [token, tenant]);
  const provisioner = useMemo(
    () => (token && tenant ? createClient(token, tenant, PROVISIONER_URL) : undefined),
    [token, tenant],
  );

  if (!token) return <SignIn reason={reason} />;
  if (!tenant || !client || !provisioner) {
    queueMicrotask(() => navigate(href([defaultTenant(token), 'applications']), { replace: true }));
    return null;
  }
  sessionStorage.setItem(LAST_TENANT_KEY, tenant);
  return (
    <Provider value={client}>
      <ProvisionerClientProvider client={provisioner}>
        <Shell token={token} tenant={tenant}>
          <Routes tenant={tenant} segments={location.segments.slice(1)} />
        </Shell>
      </ProvisionerClientProvider>
    </Provider>
  );
}
