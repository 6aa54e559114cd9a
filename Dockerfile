# Livelihood 110 API / worker image.
# The app runs its TypeScript through tsx (no build step).
# scripts/services.sh is NOT used here: DATABASE_URL / REDIS_URL point to
# other containers (see docker-compose.yml).
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    HOST=0.0.0.0 \
    PORT=3000

WORKDIR /app
RUN chown node:node /app
USER node

# Dependencies first for layer caching (tsx is a runtime dependency).
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# Application sources (src/, migrations, config, ...); see .dockerignore.
COPY --chown=node:node . .

# The classifier is trained into node_modules/.cache here, so a container only loads it.
RUN npm run train:classify

EXPOSE 3000
CMD ["npx", "tsx", "src/main.ts"]
