import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import { ApplicationRepository } from '../../store/applications';
import { BundleRepository } from '../../store/bundles';
import { BundleContentService } from './bundle-content-service';
import { BundleService, type BundleServiceDeps } from './bundle-service';
import { SpecFetcher } from './spec-fetcher';

export interface BundleServicesDeps {
  readonly db: Db;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly requestTimeoutMs: number;
  /** Ends the credential requests of a deleted bundle. */
  readonly instanceAuths?: BundleServiceDeps['instanceAuths'];
}

/** The bundle domain's services, sharing one repository and one spec fetcher. */
export function createBundleServices(deps: BundleServicesDeps): {
  bundles: BundleService;
  bundleContent: BundleContentService;
} {
  const bundles = new BundleRepository(deps.db);
  const specFetcher = new SpecFetcher(deps);
  return {
    bundles: new BundleService({
      bundles,
      applications: new ApplicationRepository(deps.db),
      specFetcher,
      ...(deps.instanceAuths && { instanceAuths: deps.instanceAuths }),
    }),
    bundleContent: new BundleContentService({ bundles, specFetcher }),
  };
}
