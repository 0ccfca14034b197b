import '@ui5/webcomponents-icons/dist/menu2.js';
import '@ui5/webcomponents-icons/dist/product.js';
import '@ui5/webcomponents-icons/dist/cloud.js';
import '@ui5/webcomponents-icons/dist/tags.js';
import '@ui5/webcomponents-icons/dist/group-2.js';
import '@ui5/webcomponents-icons/dist/connected.js';
import '@ui5/webcomponents-icons/dist/source-code.js';
import '@ui5/webcomponents-icons/dist/log.js';
import '@ui5/webcomponents-icons/dist/process.js';
import '@ui5/webcomponents-icons/dist/shortcut.js';
import { Button } from '@ui5/webcomponents-react/Button';
import { ComboBox } from '@ui5/webcomponents-react/ComboBox';
import { ComboBoxItem } from '@ui5/webcomponents-react/ComboBoxItem';
import { Label } from '@ui5/webcomponents-react/Label';
import { ShellBar } from '@ui5/webcomponents-react/ShellBar';
import { ShellBarItem } from '@ui5/webcomponents-react/ShellBarItem';
import { SideNavigation } from '@ui5/webcomponents-react/SideNavigation';
import { SideNavigationItem } from '@ui5/webcomponents-react/SideNavigationItem';
import { type ReactNode, useEffect, useState } from 'react';
import { useQuery } from 'urql';
import { temporalUrl } from './components/temporal-link';
import { config } from './config';
import { TenantsDocument } from './generated/graphql';
import { href, navigate, useLocation } from './router';
import { decodeClaims, session } from './session';

const SECTIONS = [
  { path: 'applications', text: 'Applications', icon: 'product' },
  { path: 'runtimes', text: 'Runtimes', icon: 'cloud' },
  { path: 'scenarios', text: 'Scenarios', icon: 'group-2' },
  { path: 'label-definitions', text: 'Label definitions', icon: 'tags' },
  { path: 'assignments', text: 'Automatic assignments', icon: 'process' },
  { path: 'integration-systems', text: 'Integration systems', icon: 'connected' },
  { path: 'application-templates', text: 'Application templates', icon: 'source-code' },
] as const;

const NARROW = '(max-width: 760px)';

/** The tenants the token may use: its own tenant, or every tenant for a token without one. */
function TenantSwitcher({ token, tenant }: { token: string; tenant: string }) {
  const own = decodeClaims(token)?.tenant;
  const [{ data }] = useQuery({ query: TenantsDocument, pause: Boolean(own) });
  const ids = own ? [own] : [...new Set([tenant, ...(data?.tenants.map((t) => t.id) ?? [])])];
  return (
    <ComboBox
      id="tenant"
      className="tenant-switcher"
      value={tenant}
      accessibleName="Tenant"
      readonly={Boolean(own)}
      onChange={(e) => {
        const next = e.target.value.trim();
        if (next && next !== tenant) navigate(href([next, 'applications']));
      }}
    >
      {ids.map((id) => (
        <ComboBoxItem key={id} text={id} />
      ))}
    </ComboBox>
  );
}

/** Shell bar, side navigation (collapsed on a narrow window) and the screen. */
export function Shell({ token, tenant, children }: { token: string; tenant: string; children: ReactNode }) {
  const section = useLocation().segments[1] ?? 'applications';
  const [collapsed, setCollapsed] = useState(() => window.matchMedia(NARROW).matches);
  useEffect(() => {
    const query = window.matchMedia(NARROW);
    const onChange = () => setCollapsed(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  return (
    <div className="shell">
      <ShellBar
        primaryTitle="Cockpit"
        secondaryTitle="Compass on Temporal"
        startButton={
          <Button
            icon="menu2"
            design="Transparent"
            accessibleName={collapsed ? 'Expand navigation' : 'Collapse navigation'}
            onClick={() => setCollapsed((c) => !c)}
          />
        }
        onLogoClick={() => navigate(href([tenant, 'applications']))}
      >
        {config.temporalUiUrl && (
          <ShellBarItem
            icon="shortcut"
            text="Temporal UI"
            onClick={() => window.open(temporalUrl({ kind: 'tenant', tenant }), '_blank')}
          />
        )}
        <ShellBarItem icon="log" text="Sign out" onClick={() => session.signOut()} />
      </ShellBar>
      <div className="shell-body">
        <SideNavigation
          collapsed={collapsed}
          accessibleName="Sections"
          className="side-nav"
          header={
            collapsed ? undefined : (
              <div className="tenant-box">
                <Label for="tenant" showColon>
                  Tenant
                </Label>
                <TenantSwitcher token={token} tenant={tenant} />
              </div>
            )
          }
        >
          {SECTIONS.map((s) => (
            <SideNavigationItem
              key={s.path}
              text={s.text}
              icon={s.icon}
              selected={section === s.path}
              href={href([tenant, s.path])}
              onClick={(e) => {
                e.preventDefault();
                navigate(href([tenant, s.path]));
                if (window.matchMedia(NARROW).matches) setCollapsed(true);
              }}
            />
          ))}
        </SideNavigation>
        <main className="content">{children}</main>
      </div>
    </div>
  );
}
