import 'reflect-metadata';
import { join } from 'node:path';
import { authConfigFromEnv } from '../platform/auth';
import { loadConfig, type StackConfig } from '../platform/config';
import { importJWK, type KeyLike } from 'jose';
import { DEV_AUDIENCE, DEV_ISSUER, loadOrCreateDevKeys } from './dev-issuer';
import { startDevIssuer, type RunningDevIssuer } from './dev-issuer-server';
import { assertPortFree, startEmbeddedPostgres, type RunningPostgres } from '../subgraphs/toolkit/database/embedded-postgres';
import { prepareDatabases } from '../subgraphs/toolkit/database/prepare';
import { HOLDS_LINK_KEY_SECRET, SUBGRAPH_PORTS } from '../platform/topology';
import { SUBGRAPHS } from './subgraphs';
import { SupervisedPostgres, SupervisedProcess } from './supervisor';

const log = (line: string) => console.log(`[start] ${line}`);

/**
 * Where tokens come from: the configured OIDC issuer, or outside production the
 * development issuer whose keys live in the data directory (`npm run token`).
 */
async function tokenSettings(config: StackConfig): Promise<NodeJS.ProcessEnv> {
  if (process.env.OIDC_ISSUER) {
    authConfigFromEnv(); // fails early, naming what is missing
    return {};
  }
  if (config.production) {
    throw new Error('No token issuer is configured. In production set OIDC_ISSUER, OIDC_AUDIENCE and OIDC_JWKS_URL to your identity provider.');
  }
  const keys = await loadOrCreateDevKeys(config.dataDir);
  log(`tokens: development issuer (npm run token -- --role <role>)`);
  return { OIDC_ISSUER: DEV_ISSUER, OIDC_AUDIENCE: DEV_AUDIENCE, OIDC_JWKS: JSON.stringify(keys.jwks) };
}

/** The web app's and the development issuer's ports (WEB_PORT, DEV_ISSUER_PORT). */
function webPorts(env: NodeJS.ProcessEnv = process.env): { web: number; devIssuer: number } {
  const read = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name} must be a port number (1-65535); got "${raw}".`);
    return n;
  };
  return { web: read('WEB_PORT', 4004), devIssuer: read('DEV_ISSUER_PORT', 4005) };
}

/**
 * Outside production with no OIDC_ISSUER, the development issuer's sign-in page
 * and code flow run in this process, signing with the data directory's keys:
 * the web app signs people in through it as it would through the real issuer.
 */
async function startSignInIssuer(config: StackConfig, port: number, webPort: number): Promise<RunningDevIssuer | null> {
  if (process.env.OIDC_ISSUER || config.production) return null;
  const keys = await loadOrCreateDevKeys(config.dataDir);
  const privateKey = (await importJWK(keys.privateJwk, 'ES256')) as KeyLike;
  return startDevIssuer({
    issuer: DEV_ISSUER,
    audience: DEV_AUDIENCE,
    port,
    host: config.host,
    publicUrl: `http://localhost:${port}`,
    signing: { privateKey, kid: String(keys.privateJwk.kid), jwks: keys.jwks },
    redirectUris: [`${process.env.WEB_PUBLIC_URL || `http://localhost:${webPort}`}/auth/callback`],
  });
}

async function checkPorts(config: StackConfig): Promise<void> {
  await assertPortFree(config.gatewayPort, 'gateway', 'PORT');
  for (const s of SUBGRAPHS) await assertPortFree(config.subgraphPorts[s.name], `${s.name} subgraph`, SUBGRAPH_PORTS[s.name].envVar);
  const ports = webPorts();
  await assertPortFree(ports.web, 'web app', 'WEB_PORT');
  if (!process.env.OIDC_ISSUER && !config.production) await assertPortFree(ports.devIssuer, 'development sign-in issuer', 'DEV_ISSUER_PORT');
}

/**
 * `npm start`: the whole stack on one machine. PostgreSQL (embedded unless
 * DATABASE_URL is set), one database per data controller, migrations, synthetic
 * data on first run, then the three subgraphs and the gateway as processes.
 *
 * It keeps them running: a subgraph or the gateway that exits is restarted (with
 * backoff) while the rest go on serving, and so is the embedded PostgreSQL.
 * SIGINT/SIGTERM stop everything: the processes first, then PostgreSQL.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const processes: SupervisedProcess[] = [];
  let postgres: RunningPostgres | null = null;
  let supervisedPostgres: SupervisedPostgres | null = null;
  let devIssuer: RunningDevIssuer | null = null;
  let stopping = false;

  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping...');
    await Promise.all(processes.map((p) => p.stop()));
    if (processes.length) log('web app, gateway and subgraphs stopped.');
    await devIssuer?.stop().catch(() => undefined);
    if (supervisedPostgres) await supervisedPostgres.stop();
    else if (postgres) await postgres.stop().catch(() => undefined);
    if (postgres) log('PostgreSQL stopped.');
    log('stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    const tokenEnv = await tokenSettings(config);
    await checkPorts(config);
    let adminUrl = config.databaseUrl;
    if (!adminUrl) {
      log(`starting embedded PostgreSQL (data in ${config.dataDir})`);
      postgres = await startEmbeddedPostgres({ dir: join(config.dataDir, 'pg'), port: config.embeddedPgPort, password: config.postgresPassword, log });
      adminUrl = postgres.adminUrl;
    } else {
      log('using the PostgreSQL server at DATABASE_URL');
    }
    const logins = await prepareDatabases({
      adminUrl,
      prefix: config.databasePrefix,
      subgraphs: SUBGRAPHS,
      seed: config.seed === 'none' ? null : { linkKeySecret: config.linkKeySecret, scale: config.seedScale, today: config.seedToday, log },
      log,
    });
    if (postgres) supervisedPostgres = new SupervisedPostgres(postgres, log);

    const baseEnv: NodeJS.ProcessEnv = { ...process.env, HOST: config.host, NODE_ENV: process.env.NODE_ENV ?? 'development', ...tokenEnv };
    delete baseEnv.DATABASE_URL;
    delete baseEnv.LINK_KEY_SECRET;
    const subgraphs = SUBGRAPHS.map(
      (s) =>
        new SupervisedProcess(
          {
            name: s.name,
            script: join(__dirname, '..', 'subgraphs', s.name, 'main.js'),
            env: {
              ...baseEnv,
              PORT: String(config.subgraphPorts[s.name]),
              // Each subgraph gets its own database login and nothing else.
              DATABASE_URL: logins[s.name].appUrl,
              ...(HOLDS_LINK_KEY_SECRET.includes(s.name) ? { LINK_KEY_SECRET: config.linkKeySecret } : {}),
            },
          },
          log,
        ),
    );
    processes.push(...subgraphs);
    await Promise.all(subgraphs.map((p) => p.start()));
    if (stopping) return; // Ctrl-C while the subgraphs started
    const gateway = new SupervisedProcess(
      {
        name: 'gateway',
        script: join(__dirname, '..', 'gateway', 'main.js'),
        env: {
          ...baseEnv,
          PORT: String(config.gatewayPort),
          ...Object.fromEntries(SUBGRAPHS.map((s) => [`${s.name.toUpperCase()}_URL`, `http://localhost:${config.subgraphPorts[s.name]}/graphql`])),
        },
      },
      log,
    );
    processes.push(gateway);
    await gateway.start();
    if (stopping) return;
    const ports = webPorts();
    devIssuer = await startSignInIssuer(config, ports.devIssuer, ports.web);
    const web = new SupervisedProcess(
      {
        name: 'web',
        script: join(__dirname, '..', 'web', 'main.js'),
        env: {
          ...baseEnv,
          WEB_PORT: String(ports.web),
          DATA_DIR: config.dataDir,
          GATEWAY_URL: `http://localhost:${config.gatewayPort}/graphql`,
          ...(devIssuer ? { OIDC_DISCOVERY_URL: `${devIssuer.url}/.well-known/openid-configuration` } : {}),
        },
      },
      log,
    );
    processes.push(web);
    await web.start();
    log(`ready: gateway at http://localhost:${config.gatewayPort}/graphql`);
    log(`ready: web app at ${process.env.WEB_PUBLIC_URL || `http://localhost:${ports.web}`}/${devIssuer ? ` (sign in as any role through the development issuer at ${devIssuer.url})` : ''}`);
  } catch (err) {
    console.error(`[start] ${(err as Error).message}`);
    await shutdown(1);
  }
}

void main();
