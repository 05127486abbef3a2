# syntax=docker/dockerfile:1

# Build stage: dev dependencies are needed only to compile TypeScript.
# Node 24 LTS, the line CI runs the whole suite on (.ci/run); Node 20 is past its end of life.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Dependencies installed from a patched tarball (vendor/README.md says which and why).
COPY vendor ./vendor
# --ignore-scripts: a lifecycle script (prepare, a future postinstall) would run before src/ is here.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The build bundles tsc's output (scripts/bundle.ts) and migrates the PGlite template it writes.
COPY scripts ./scripts
# The build applies patches/ to node_modules first, so the bundle holds the patched driver.
COPY patches ./patches
COPY drizzle ./drizzle
# Called by name so the image does not depend on whether `npm start` or `prepare` builds.
RUN npm run build

# Runtime stage: production dependencies, the bundled code, the migrations applied at start-up and
# the browser pages.
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=4000 \
    DATA_DIR=/app/data
WORKDIR /app
COPY package.json package-lock.json ./
COPY vendor ./vendor
# No production dependency needs its install script (only @apollo/protobufjs has one, for its CLI),
# and a prepare script would try to build without the dev dependencies.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY drizzle ./drizzle
COPY web ./web
# The embedded database (used when DATABASE_URL is unset) must be writable by the non-root user.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 4000
# The slim image has no curl; Node's fetch asks /readyz, which also checks the database.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself is PID 1, not npm (which does not pass SIGINT on): SIGTERM and SIGINT drain requests and
# exit 0.
CMD ["node", "--max-semi-space-size=32", "dist/main.js"]
