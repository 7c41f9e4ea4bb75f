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
# node is exec'd by tini directly, so SIGTERM reaches it. dist/bundle/main.js: the server as one minified
# bundle (scripts/bundle-server.mjs, run by npm run build; 15 MB less resident than dist/src/main.js).
# The same V8 flags as package.json's start:prod (which the bench starts): a 192 MB old generation and
# 8 MB young semi-spaces (V8's 16 MB default kept some 30 MB resident for the young generation alone).
# 4 MB lowered the bench's peak by some 19 MB (the Buffers of an export or a transfer wait less for a
# scavenge) but cost the case read and the list 25-40% more CPU per request in the same run
# (bench/levers.js, 6 of 6 rounds; bench/results/2026-11-28-memory-trim.md), and the peak still missed
# 200 MB (208.7 MB in the full run); 2 MB cost more. --expose-gc instead lets a transfer's dead
# Buffers go with a scavenge every few MB (src/common/young-generation.ts).
# --no-allocation-site-pretenuring: with V8's allocation-site pretenuring on, 4 of 9 processes under
# the same case reads promoted some 14 KB a request instead of 5, with twice the mark-compacts (short-
# lived request objects allocated old keep what they point to through scavenges); off, 3 of 3 stayed
# at 5, and the case read took 0.73-0.78 and the list 0.91 of the CPU per request in two runs of
# bench/levers.js (5 of 5 rounds each; bench/results/2026-11-29-s12-pretenuring.md).
CMD ["node", "--expose-gc", "--max-old-space-size=192", "--max-semi-space-size=8", "--no-allocation-site-pretenuring", "dist/bundle/main.js"]
