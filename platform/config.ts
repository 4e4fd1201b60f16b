import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SUBGRAPH_NAMES, SUBGRAPH_PORTS, type SubgraphName } from './topology';

/** Every environment variable the stack reads: the README's configuration table is this list. */
export const CONFIG_VARIABLES: ReadonlyArray<{ name: string; default: string; description: string }> = [
  { name: 'PORT', default: '4000', description: 'Gateway port (GraphQL at /graphql).' },
  { name: 'CASEWORK_PORT', default: '4001', description: 'Casework subgraph port.' },
  { name: 'HEALTH_PORT', default: '4002', description: 'Health subgraph port.' },
  { name: 'GOVERNANCE_PORT', default: '4003', description: 'Governance subgraph port.' },
  { name: 'HOST', default: '127.0.0.1', description: 'Address every process binds to (0.0.0.0 in a container).' },
  { name: 'DATA_DIR', default: '.data', description: 'Embedded PostgreSQL data, generated secrets and the development token issuer\'s keys. Git-ignored.' },
  { name: 'DATABASE_URL', default: '(unset: embedded)', description: 'An existing PostgreSQL server, as a login that may create databases and roles; used instead of the embedded server.' },
  { name: 'EMBEDDED_PG_PORT', default: '5434', description: 'Port of the embedded PostgreSQL server.' },
  { name: 'DB_PREFIX', default: 'send', description: 'Databases are <prefix>_casework, <prefix>_health, <prefix>_governance, each with logins <db>_owner and <db>_app.' },
  { name: 'SEED', default: 'synthetic', description: '"synthetic" loads deterministic synthetic data into empty databases on start; "none" leaves them empty for real imports.' },
  { name: 'SEED_SCALE', default: '1', description: 'Size of the synthetic data: 1 is Nottinghamshire (7,500 children known to the service now, about 13,000 records with former ones); 10 is ten times that; at most 120 (England, about 900,000 children), seeded in bounded memory.' },
  { name: 'SEED_TODAY', default: '(today)', description: 'The date synthetic history runs up to, YYYY-MM-DD.' },
  { name: 'LINK_KEY_SECRET', default: '(generated into DATA_DIR)', description: 'The partnership\'s secret for link keys (HMAC of the NHS number); the same for the council and the ICB. Required in production.' },
  { name: 'OIDC_ISSUER', default: '(development issuer)', description: 'Issuer of the bearer tokens the gateway and subgraphs accept. Required in production.' },
  { name: 'OIDC_AUDIENCE', default: '(development audience)', description: 'Audience the tokens must name.' },
  { name: 'OIDC_JWKS_URL', default: '(development keys)', description: 'Where the issuer publishes its signing keys (JWKS).' },
  { name: 'AUTH_TOKEN_CACHE_SIZE', default: '10000', description: 'Verified tokens each process (gateway and subgraphs) remembers, by the token\'s SHA-256, least recently used dropped first; each only until its exp, so an expired token is refused as before. 0 verifies every request. A key removed from the issuer\'s key set stops its tokens only as they expire or drop out.' },
  { name: 'GRAPHQL_MAX_DEPTH', default: '10', description: 'Deepest selection nesting a request may have (subgraphs allow twice this).' },
  { name: 'GRAPHQL_MAX_ALIASES', default: '15', description: 'Aliased fields in one operation.' },
  { name: 'GRAPHQL_MAX_TOKENS', default: '2000', description: 'Lexical tokens in one GraphQL document.' },
  { name: 'GRAPHQL_MAX_COST', default: '50000', description: 'Estimated query cost (literal first/last multiply); see docs/security.md.' },
  { name: 'GRAPHQL_MAX_DIRECTIVES', default: '20', description: 'Directives in one operation.' },
  { name: 'GRAPHQL_MAX_REPRESENTATIONS', default: '500', description: 'Entity representations a subgraph resolves in one request (the gateway\'s largest batch in the tests is 100).' },
  { name: 'GRAPHQL_MAX_STRING_LENGTH', default: '50000', description: 'Characters in one string argument or variable (free-text fields such as a milestone title are text columns, and run to several thousand); longer ones, and any with a NUL character, are BAD_USER_INPUT naming the argument.' },
  { name: 'SUBGRAPH_TIMEOUT_MS', default: '5000', description: 'Deadline of each gateway call to a subgraph; a subgraph that misses it answers nothing, and its fields come back null with a SUBGRAPH_UNAVAILABLE error naming it.' },
  { name: 'CASEWORK_TIMEOUT_MS', default: '(SUBGRAPH_TIMEOUT_MS)', description: 'Deadline of calls to the casework subgraph.' },
  { name: 'HEALTH_TIMEOUT_MS', default: '(SUBGRAPH_TIMEOUT_MS)', description: 'Deadline of calls to the health subgraph.' },
  { name: 'GOVERNANCE_TIMEOUT_MS', default: '(SUBGRAPH_TIMEOUT_MS)', description: 'Deadline of calls to the governance subgraph.' },
  { name: 'SUBGRAPH_MAX_CONNECTIONS', default: '32', description: 'Keep-alive connections the gateway holds open to each subgraph; further calls wait, within their deadline.' },
  { name: 'SUBGRAPH_CHECK_INTERVAL_MS', default: '5000', description: 'How often the gateway checks each subgraph\'s /health/ready (every second while one is down); a subgraph found down is skipped until it is back.' },
  { name: 'HTTP_KEEP_ALIVE_TIMEOUT_MS', default: '5000', description: 'How long every server keeps an idle keep-alive connection; the gateway\'s own pools give theirs up sooner (half of it, at most 4 s).' },
  { name: 'DRAIN_TIMEOUT_MS', default: '8000', description: 'On SIGTERM: how long requests in flight may take to finish before their connections are closed.' },
  { name: 'CASEWORK_URL', default: 'http://localhost:4001/graphql', description: 'The gateway run on its own (the gateway role): where the casework subgraph\'s GraphQL endpoint is. npm start sets it.' },
  { name: 'HEALTH_URL', default: 'http://localhost:4002/graphql', description: 'The gateway run on its own: where the health subgraph\'s GraphQL endpoint is.' },
  { name: 'GOVERNANCE_URL', default: 'http://localhost:4003/graphql', description: 'The gateway run on its own: where the governance subgraph\'s GraphQL endpoint is.' },
  { name: 'SUPERGRAPH_PATH', default: 'schema/supergraph.graphql', description: 'The composed supergraph the gateway serves (a ConfigMap in Kubernetes).' },
  { name: 'OIDC_JWKS', default: '(unset)', description: 'The issuer\'s key set inline, as JSON, instead of OIDC_JWKS_URL: how npm start hands the development issuer\'s keys to its processes.' },
  { name: 'LOG_LEVEL', default: 'info', description: 'fatal, error, warn, info (one line per request), debug (also health checks and scrapes), trace or silent.' },
  { name: 'LOG_FORMAT', default: '(json; pretty at a terminal outside production)', description: '"json" (one JSON object per line, for a log shipper) or "pretty" (for a person; needs the development dependencies).' },
  { name: 'METRICS_TOKEN', default: '(unset: loopback only)', description: 'Bearer token a scraper must send to read /metrics; unset, /metrics answers only callers on the same machine, never through a proxy.' },
  { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', default: '(unset: no tracing)', description: 'OTLP/HTTP endpoint (e.g. http://collector:4318) the gateway and subgraphs send traces to; the other standard OTEL_* variables (OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER, OTEL_BSP_*) apply as the OpenTelemetry SDK defines them.' },
  { name: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', default: '(OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces)', description: 'The traces endpoint itself, when it is not the usual path under OTEL_EXPORTER_OTLP_ENDPOINT; setting it also turns tracing on.' },
  { name: 'OTEL_SERVICE_NAME', default: 'send-<process>', description: 'The service name on a process\'s spans (send-gateway, send-casework...).' },
  { name: 'PARTNER_SUPERGRAPH_PATH', default: '(partner-supergraph.graphql beside the supergraph)', description: 'The partner contract\'s supergraph, served at /partner/graphql; without the file there is no partner endpoint.' },
  { name: 'TRUSTED_DOCUMENTS_ROLES', default: 'partner_app in production, none outside', description: 'Roles that may run only registered operations (comma-separated, or none); others are refused with PERSISTED_QUERY_NOT_REGISTERED.' },
  { name: 'TRUSTED_DOCUMENTS_PATH', default: '(trusted-documents.json beside the supergraph)', description: 'The registered operations (`npm run documents:register`).' },
  { name: 'WEB_PORT', default: '4004', description: 'The web app\'s port (npm start; the web role listens on PORT when WEB_PORT is unset).' },
  { name: 'WEB_PUBLIC_URL', default: 'http://localhost:<WEB_PORT>', description: 'Where people reach the web app; its sign-in redirect URI is <WEB_PUBLIC_URL>/auth/callback (HTTPS there makes the session cookie Secure).' },
  { name: 'GATEWAY_URL', default: 'http://localhost:4000/graphql', description: 'The web app: the gateway\'s GraphQL endpoint it calls with the signed-in person\'s token. npm start sets it.' },
  { name: 'WEB_SESSION_SECRET', default: '(generated into DATA_DIR)', description: 'The web app: at least 32 characters sealing its session cookie (AES-256-GCM); the same for every web process. Required in production.' },
  { name: 'OIDC_DISCOVERY_URL', default: '(<OIDC_ISSUER>/.well-known/openid-configuration)', description: 'The web app: the issuer\'s OpenID Connect discovery document (authorize, token and end-session endpoints); npm start points it at the development issuer.' },
  { name: 'OIDC_CLIENT_ID', default: 'send-web', description: 'The web app\'s client id at the issuer (authorization code flow with PKCE).' },
  { name: 'OIDC_CLIENT_SECRET', default: '(unset: public client)', description: 'The web app\'s client secret, when the issuer registers it as a confidential client.' },
  { name: 'DEV_ISSUER_PORT', default: '4005', description: 'npm start outside production without OIDC_ISSUER: the development issuer\'s sign-in page and token endpoint (choose a role, organisation and name).' },
  { name: 'DEV_ISSUER_PUBLIC_URL', default: '(its OIDC_ISSUER)', description: 'The dev-issuer role: where browsers reach its sign-in page when that is not OIDC_ISSUER (docker compose\'s dev profile: the issuer is http://dev-issuer:4000 to the services, http://127.0.0.1:4100 to a browser).' },
  { name: 'CORS_ORIGINS', default: '(unset: none)', description: 'Browser origins (comma-separated, e.g. https://app.example.org) whose cross-origin calls the gateway allows; it answers their preflights.' },
  { name: 'NODE_ENV', default: 'development', description: '"production" turns off introspection, the explorer and stack traces, holds partner apps to registered operations, and refuses to start without OIDC_* and LINK_KEY_SECRET.' },
];

/** England is about 120 times Nottinghamshire; the seed draws past 20 in blocks, so memory stays bounded (toolkit/synthetic/casework-history). */
export const MAX_SEED_SCALE = 120;

/** Everything the start command reads from the environment; see the README's table. */
export interface StackConfig {
  production: boolean;
  dataDir: string;
  /** An existing PostgreSQL server to use instead of the embedded one. */
  databaseUrl: string | null;
  embeddedPgPort: number;
  databasePrefix: string;
  seed: 'synthetic' | 'none';
  seedScale: number;
  seedToday: string;
  host: string;
  gatewayPort: number;
  subgraphPorts: Record<SubgraphName, number>;
  linkKeySecret: string;
  postgresPassword: string;
}

/** A port number from the environment, or the fallback when unset; anything else is refused naming the variable. */
export function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number (0-65535); got "${raw}".`);
  return n;
}

interface Secrets {
  postgresPassword: string;
  linkKeySecret: string;
}

/**
 * Secrets the embedded default makes for itself on first start and keeps in the
 * data directory (mode 0600), so a second start finds the same database password
 * and the same link keys.
 */
export function loadOrCreateSecrets(dataDir: string): Secrets {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Secrets;
  const secrets: Secrets = {
    postgresPassword: randomBytes(18).toString('base64url'),
    linkKeySecret: randomBytes(32).toString('base64url'),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  return secrets;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const production = env.NODE_ENV === 'production';
  const dataDir = resolve(env.DATA_DIR || '.data');
  const seed = (env.SEED || 'synthetic').toLowerCase();
  if (seed !== 'synthetic' && seed !== 'none') throw new Error(`SEED must be "synthetic" or "none"; got "${env.SEED}".`);
  const seedScale = Number(env.SEED_SCALE || '1');
  if (!(seedScale > 0 && seedScale <= MAX_SEED_SCALE)) throw new Error(`SEED_SCALE must be a number above 0 and at most ${MAX_SEED_SCALE}; got "${env.SEED_SCALE}".`);
  const seedToday = env.SEED_TODAY || new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(seedToday)) throw new Error(`SEED_TODAY must be a date written YYYY-MM-DD; got "${env.SEED_TODAY}".`);
  const secrets = loadOrCreateSecrets(dataDir);
  if (production && !env.LINK_KEY_SECRET) {
    throw new Error('LINK_KEY_SECRET must be set in production: the partnership\'s shared secret for link keys, the same for the council and the ICB.');
  }
  const subgraphPorts = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, port(env, SUBGRAPH_PORTS[n].envVar, SUBGRAPH_PORTS[n].port)])) as Record<SubgraphName, number>;
  return {
    production,
    dataDir,
    databaseUrl: env.DATABASE_URL || null,
    embeddedPgPort: port(env, 'EMBEDDED_PG_PORT', 5434),
    databasePrefix: env.DB_PREFIX || 'send',
    seed,
    seedScale,
    seedToday,
    host: env.HOST || '127.0.0.1',
    gatewayPort: port(env, 'PORT', 4000),
    subgraphPorts,
    linkKeySecret: env.LINK_KEY_SECRET || secrets.linkKeySecret,
    postgresPassword: secrets.postgresPassword,
  };
}
