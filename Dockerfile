# The whole stack in one image. With DATABASE_URL set (see docker-compose.yml) it
# uses that PostgreSQL server; without, it runs the embedded one in /data.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY infra ./infra
COPY gateway ./gateway
COPY subgraphs ./subgraphs
COPY schema ./schema
RUN npm run build && npm prune --omit=dev
ENV HOST=0.0.0.0 DATA_DIR=/data
EXPOSE 4000
CMD ["node", "dist/infra/start.js"]
