# syntax=docker/dockerfile:1
# The project image: one image for both processes. The default command runs the GraphQL gateway;
# the worker service overrides it with `node dist/workers/main.js` (see docker-compose.yml).

# --- Stage 1: compile TypeScript to dist/ -------------------------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

# --- Stage 2: runtime, production dependencies only ---------------------------------------------
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
# package.json stays at the WORKDIR root: the processes find the project root by walking up from
# dist/ to the directory holding package.json. NODE_ENV is left unset on purpose (Apollo Server
# changes its defaults, e.g. introspection, under NODE_ENV=production).
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
# The gateway reads the GraphQL schema from <project root>/api/schema/*.graphql at run time.
COPY --from=build /app/api/schema ./api/schema
# ... and the Connector's public and internal schemas from api/connector*/*.graphql.
COPY --from=build /app/api/connector/connector.graphql ./api/connector/connector.graphql
COPY --from=build /app/api/connector-internal ./api/connector-internal
# The data directory (CA, token issuers) is a volume shared by gateways and workers.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000 3443
CMD ["node", "dist/api/main.js"]
