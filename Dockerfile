# Build stage: compile TypeScript.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
COPY bench ./bench
COPY web ./web
RUN npm run build && npm prune --omit=dev

# Runtime stage: the built app (API, workers and web application in one process).
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
EXPOSE 3000
# Apply pending migrations (creating the database if needed), then start.
CMD ["sh", "-c", "node dist/src/database/migrate-cli.js run && node --max-old-space-size=192 dist/src/main.js"]
