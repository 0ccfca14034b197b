import { Breadcrumbs } from '@ui5/webcomponents-react/Breadcrumbs';
import { BreadcrumbsItem } from '@ui5/webcomponents-react/BreadcrumbsItem';
import { Title } from '@ui5/webcomponents-react/Title';
import type { ReactNode } from 'react';
import { navigate } from '../router';

/** A screen's title row: breadcrumbs back to the lists, the title, and the screen's actions. */
export function PageHeader(props: {
  title: string;
  subtitle?: ReactNode;
  crumbs?: readonly { text: string; href: string }[];
  actions?: ReactNode;
}) {
  return (
    <header className="page-header">
      {props.crumbs && props.crumbs.length > 0 && (
        <Breadcrumbs
          onItemClick={(e) => {
            e.preventDefault();
            const target = e.detail.item.href;
            if (target) navigate(target);
          }}
        >
          {props.crumbs.map((c) => (
            <BreadcrumbsItem key={c.href} href={c.href}>
              {c.text}
            </BreadcrumbsItem>
          ))}
          <BreadcrumbsItem>{props.title}</BreadcrumbsItem>
        </Breadcrumbs>
      )}
      <div className="page-title">
        <div>
          <Title level="H2" size="H3">
            {props.title}
          </Title>
          {props.subtitle && <div className="subtitle">{props.subtitle}</div>}
        </div>
        <div className="actions">{props.actions}</div>
      </div>
    </header>
  );
}
