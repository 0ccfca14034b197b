import type { Db, Document, Filter } from 'mongodb';
import type { Application } from '../domain/application';
import type { Page, PageRequest } from '../domain/pagination';
import { APPLICATIONS, type ApplicationDocument } from './applications';
import { labelConditionsToFilter } from './label-query';
import { TenantCollection } from './tenant-collection';

/** Label values that hide an application from every runtime: label key → values. */
export type HideSelectors = Readonly<Record<string, readonly string[]>>;

/** The applications a runtime sees: those in its scenarios, minus the hidden ones. */
export class RuntimeApplicationsQuery {
  private readonly col: TenantCollection<ApplicationDocument>;

  constructor(db: Db) {
    this.col = new TenantCollection<ApplicationDocument>(db, APPLICATIONS, 'Application');
  }

  /** Pages through the applications sharing any of `scenarios`, in ID order. */
  async page(
    tenantId: string,
    scenarios: readonly string[],
    hide: HideSelectors,
    page: PageRequest,
  ): Promise<Page<Application>> {
    const clauses: Document[] = [
      labelConditionsToFilter([{ kind: 'anyOf', key: 'scenarios', values: scenarios }]),
    ];
    for (const [key, values] of Object.entries(hide)) {
      if (values.length > 0) clauses.push({ [`labels.${key}`]: { $nin: [...values] } });
    }
    const filter = (clauses.length === 1 ? clauses[0] : { $and: clauses }) as Filter<ApplicationDocument>;
    const result = await this.col.page(tenantId, filter, page);
    return {
      ...result,
      data: result.data.map(({ _id, ...rest }) => ({ id: _id, ...rest })),
    };
  }
}
