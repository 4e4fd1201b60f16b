import 'reflect-metadata';
import { join } from 'node:path';
import { authConfigFromEnv } from '../platform/auth';
import { loadConfig, type StackConfig } from '../platform/config';
import { DEV_AUDIENCE, DEV_ISSUER, loadOrCreateDevKeys } from './dev-issuer';
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

async function checkPorts(config: StackConfig): Promise<void> {
  await assertPortFree(config.gatewayPort, 'gateway', 'PORT');
  for (const s of SUBGRAPHS) await assertPortFree(config.subgraphPorts[s.name], `${s.name} subgraph`, SUBGRAPH_PORTS[s.name].envVar);
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
  let stopping = false;

  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping...');
    await Promise.all(processes.map((p) => p.stop()));
    if (processes.length) log('gateway and subgraphs stopped.');
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
    log(`ready: gateway at http://localhost:${config.gatewayPort}/graphql`);
  } catch (err) {
    console.error(`[start] ${(err as Error).message}`);
    await shutdown(1);
  }
}

void main();
