# One image, two processes: the API (default command) and the worker
#   docker run … IMAGE                                   → node --import tsx api/main.ts
#   docker run … IMAGE node --import tsx worker/main.ts  → the Temporal worker
# The service runs its TypeScript through tsx, which is a runtime dependency in
# package.json, so a production install (`npm ci --omit=dev`) is all it needs.
# See docs/deployment.md for the topology and every environment variable.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- dependencies: a separate stage so source edits do not reinstall node_modules ----
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# swagger-ui-express pulls in @scarf/scarf, whose install script reports home; not from a build.
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
# Every native piece (Temporal core bridge, swc, esbuild) ships prebuilt for linux
# x64/arm64 glibc, so the slim image needs no compiler.
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error \
 && npm cache clean --force

# ---- the web console: built with the dev dependencies (Vite, bpmn-js), only its output is kept ----
FROM ${NODE_IMAGE} AS console
WORKDIR /app
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY . .
RUN npm run --silent build:console

# ---- runtime ----
FROM ${NODE_IMAGE}
WORKDIR /app
ENV NODE_ENV=production \
    PORT=3000
COPY --from=deps /app/node_modules ./node_modules
# The whole context, trimmed by .dockerignore (tests, tools, local data, node_modules
# stay out): a new source folder is then picked up without editing this file.
COPY . .
# The console the API serves at /console.
COPY --from=console /app/console/dist ./console/dist
# The workflow bundle, built once here (webpack is a dependency of @temporalio/worker):
# the worker loads it instead of bundling at every start.
RUN node --import tsx scripts/build-workflows.ts --out /app/dist/workflow-bundle.js
ENV WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
# Files stay root-owned and read-only to the process; tsx writes its cache to /tmp.
USER node
EXPOSE 3000
# Checks the API only; the worker service turns this off in docker-compose.yml.
# /health answers 503 when Temporal or MongoDB is unreachable, so "unhealthy" means
# the API cannot serve, not merely that the process is alive.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The API's node flags: config/node-flags.ts says why.
CMD ["node", "--max-semi-space-size=64", "--import", "tsx", "api/main.ts"]
