import { createContext, type ReactNode, useContext } from 'react';
import { type Client, Provider, useClient } from 'urql';

/**
 * The Runtime Provisioner has its own endpoint (/provisioner/graphql) and schema, so it has
 * its own urql client (and cache). The app makes it available here; screens put the parts that
 * call the Provisioner inside {@link ProvisionerScope}, where urql's hooks use that client and
 * the typed documents of cockpit/src/generated/provisioner.ts, and parts inside those that
 * call the Director again inside {@link DirectorScope}.
 */
const Clients = createContext<{ director: Client; provisioner: Client } | undefined>(undefined);

function useClients() {
  const clients = useContext(Clients);
  if (!clients) throw new Error('outside ProvisionerClientProvider');
  return clients;
}

/** Placed inside urql's Provider of the Director client. */
export function ProvisionerClientProvider({ client, children }: { client: Client; children: ReactNode }) {
  const director = useClient();
  return <Clients.Provider value={{ director, provisioner: client }}>{children}</Clients.Provider>;
}

/** Everything inside talks to the Provisioner: use only documents of generated/provisioner. */
export function ProvisionerScope({ children }: { children: ReactNode }) {
  return <Provider value={useClients().provisioner}>{children}</Provider>;
}

/** Back to the Director (documents of generated/graphql) inside a ProvisionerScope. */
export function DirectorScope({ children }: { children: ReactNode }) {
  return <Provider value={useClients().director}>{children}</Provider>;
}
