import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import { projectRoot } from '../infra/paths';
import { type DevIssuer, issueDevToken } from './auth/dev-issuer';
import { allScopes } from './auth/scopes';

/** What the Cockpit page is told when it is served (read by cockpit/src/config.ts). */
export interface CockpitOptions {
  readonly temporalUiUrl: string;
  readonly temporalNamespace: string;
  /** The local development issuer, given only on a loopback gateway (as for GraphiQL). */
  readonly devIssuer?: DevIssuer;
}

const PLACEHOLDER = '<!--cockpit-config-->';

/** JSON inside a <script> element: `<` is escaped so the text cannot close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * Serves the built Cockpit (dist/cockpit, built by `npm run build`) under /cockpit: hashed
 * assets with a long cache, and index.html for every other path so each screen's URL
 * survives a reload. The page carries the Temporal UI URL and, on loopback, a dev token.
 */
export function cockpitRouter(options: CockpitOptions): Router {
  const dir = path.join(projectRoot(), 'dist', 'cockpit');
  const router = express.Router();
  router.use(
    '/assets',
    express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }),
  );
  router.get('/{*path}', (_req, res, next) => {
    const index = path.join(dir, 'index.html');
    if (!existsSync(index))
      return void res.status(503).type('text').send('The Cockpit is not built: run npm run build');
    const token = options.devIssuer
      ? issueDevToken(options.devIssuer, {
          tenant: '',
          scopes: allScopes(),
          consumerId: 'cockpit',
          ttlSec: 8 * 3600,
        })
      : Promise.resolve(undefined);
    token.then((devToken) => {
      const config = {
        temporalUiUrl: options.temporalUiUrl,
        temporalNamespace: options.temporalNamespace,
        ...(devToken ? { devToken } : {}),
      };
      const html = readFileSync(index, 'utf8').replace(
        PLACEHOLDER,
        `<script id="cockpit-config" type="application/json">${scriptJson(config)}</script>`,
      );
      res.type('html').set('Cache-Control', 'no-store').send(html);
    }, next);
  });
  return router;
}

/** A browser opening the gateway's root lands in the Cockpit; API clients get a 404 as before. */
export const rootRedirect: RequestHandler = (req, res, next) => {
  if (req.accepts(['application/json', 'html']) === 'html') return res.redirect('/cockpit/');
  next();
};
