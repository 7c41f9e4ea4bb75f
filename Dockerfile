# Node 22 LTS (supported until 2027-04-30); the code also runs on Node 20.19+ and 24 (package.json "engines").
# Build stage: compile the API (TypeScript) and the web application.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

# Runtime stage: the built app (API, workers and web application in one process).
FROM node:22-bookworm-slim
# tini is PID 1: it forwards SIGTERM to node, which then shuts down gracefully (enableShutdownHooks),
# and reaps zombies. fonts-noto-cjk: the Chinese faces embedded in generated PDF documents.
RUN apt-get update && apt-get install -y --no-install-recommends tini fonts-noto-cjk && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
# glibc's malloc: two arenas instead of up to 8 per core (the same setting as package.json's start:prod,
# which the bench starts): the threads of libuv, V8 and argon2 each kept an arena of their own, mostly
# free memory that still counted in the RSS.
ENV MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The documents' subset CJK faces (src/documents/cjk-fonts.ts); fonts-noto-cjk above is the fallback for rare characters.
COPY --from=build /app/fonts ./fonts
COPY package.json ./
USER node
EXPOSE 3000
ENTRYPOINT ["/usr/bin/tini", "--"]
# Migrations run as their own step (docker-compose's `migrate` service, or `npm run migration:run`);
# node is exec'd by tini directly, so SIGTERM reaches it.
# The same V8 flags as package.json's start:prod (which the bench starts): a 192 MB old generation and
# 4 MB young semi-spaces. V8's 16 MB default kept some 30 MB resident for the young generation alone;
# at 8 MB the short-lived Buffers of an export, an upload or a download waited longer for a scavenge,
# and the bench's peak was 19 MB higher (218.6 against 199.4 MB, issue 17), while 4 MB cost the case
# list about 15% more CPU per request (bench/levers.js, 5 of 5 rounds; the case read no clear change).
CMD ["node", "--max-old-space-size=192", "--max-semi-space-size=4", "dist/src/main.js"]
