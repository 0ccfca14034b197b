import path from 'node:path';
import express, { type Router } from 'express';
import { type DevIssuer, issueDevToken } from './auth/dev-issuer';
import { allScopes } from './auth/scopes';

const ENDPOINTS = ['/director/graphql'];

/**
 * An in-browser GraphQL IDE that works offline: GraphiQL and React are served from
 * node_modules, nothing is fetched from a CDN. With the local development issuer on a
 * loopback listener, the page comes with a short-lived token holding every scope.
 */
export function graphiqlRouter(devIssuer?: DevIssuer): Router {
  const router = express.Router();
  const asset = (pkg: string, file: string) =>
    path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
  const assets: Record<string, string> = {
    'react.js': asset('react', 'umd/react.production.min.js'),
    'react-dom.js': asset('react-dom', 'umd/react-dom.production.min.js'),
    'graphiql.js': asset('graphiql', 'graphiql.min.js'),
    'graphiql.css': asset('graphiql', 'graphiql.min.css'),
  };
  router.get('/assets/:file', (req, res) => {
    const file = assets[req.params.file];
    if (!file) return void res.status(404).end();
    res.sendFile(file, { maxAge: '1d' });
  });
  router.get('/', (req, res, next) => {
    const requested = typeof req.query.endpoint === 'string' ? req.query.endpoint : ENDPOINTS[0];
    const endpoint = ENDPOINTS.includes(requested!) ? requested! : ENDPOINTS[0]!;
    const headers: Record<string, string> = { Tenant: 'default' };
    const token = devIssuer
      ? issueDevToken(devIssuer, {
          tenant: '',
          scopes: allScopes(),
          consumerId: 'graphiql',
          ttlSec: 8 * 3600,
        })
      : Promise.resolve(undefined);
    token.then((t) => {
      if (t) headers.Authorization = `Bearer ${t}`;
      res.type('html').set('Cache-Control', 'no-store').send(page(endpoint, headers));
    }, next);
  });
  return router;
}

function page(endpoint: string, headers: Record<string, string>): string {
  const defaultHeaders = JSON.stringify(headers, null, 2);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Compass GraphQL IDE: ${endpoint}</title>
<link rel="stylesheet" href="/graphiql/assets/graphiql.css">
<style>html,body,#ide{height:100%;margin:0}</style>
</head>
<body>
<div id="ide"></div>
<script src="/graphiql/assets/react.js"></script>
<script src="/graphiql/assets/react-dom.js"></script>
<script src="/graphiql/assets/graphiql.js"></script>
<script>
  const fetcher = GraphiQL.createFetcher({ url: ${JSON.stringify(endpoint)} });
  ReactDOM.createRoot(document.getElementById('ide')).render(
    React.createElement(GraphiQL, { fetcher, defaultHeaders: ${JSON.stringify(defaultHeaders)}, shouldPersistHeaders: true }),
  );
</script>
</body>
</html>`;
}
