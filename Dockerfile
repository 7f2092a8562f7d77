# source-hubspot as an Airbyte source image: the platform starts one container per job and runs
# `spec`, `check --config …`, `discover --config …` or `read --config … --catalog … [--state …]` in it.

# Build stage: the TypeScript compiler is a dev dependency, so it stays out of the final image.
FROM node:20-slim AS build
WORKDIR /build
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
# `prepare` compiles src/ into dist/src/
RUN npm ci --no-audit --no-fund

FROM node:20-slim
WORKDIR /airbyte/integration_code
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /build/dist/src ./dist/src
COPY entrypoint.sh ./
# The platform reads AIRBYTE_ENTRYPOINT to know what to run when it overrides the entrypoint.
ENV AIRBYTE_ENTRYPOINT="/airbyte/integration_code/entrypoint.sh"
ENTRYPOINT ["/airbyte/integration_code/entrypoint.sh"]
LABEL io.airbyte.name="source-hubspot/source-hubspot" \
      io.airbyte.version="0.1.0"
USER node
