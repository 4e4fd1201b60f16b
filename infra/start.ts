import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { authConfigFromEnv } from '../platform/auth';
import { loadConfig, type StackConfig } from '../platform/config';
import { DEV_AUDIENCE, DEV_ISSUER, loadOrCreateDevKeys } from './dev-issuer';
import { assertPortFree, startEmbeddedPostgres, type RunningPostgres } from '../subgraphs/toolkit/database/embedded-postgres';
import { prepareDatabases } from '../subgraphs/toolkit/database/prepare';
import { HOLDS_LINK_KEY_SECRET, SUBGRAPH_PORTS } from '../platform/topology';
import { SUBGRAPHS } from './subgraphs';

const log = (line: string) => console.log(`[start] ${line}`);

interface Child {
  name: string;
  process: ChildProcess;
}

/** Forks one process and resolves when it reports ready; rejects if it dies first. */
function forkAndWait(name: string, script: string, env: NodeJS.ProcessEnv): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = fork(script, [], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const onExit = (code: number | null) => reject(new Error(`${name} exited (code ${code}) before it was ready; see its output above.`));
    child.once('exit', onExit);
    child.on('message', (message: { type?: string }) => {
      if (message?.type === 'ready') {
        child.off('exit', onExit);
        resolve({ name, process: child });
      }
    });
  });
}

async function stopChild(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.process.kill('SIGKILL'), 10_000);
    child.process.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.process.kill('SIGTERM');
  });
}

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
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const children: Child[] = [];
  let postgres: RunningPostgres | null = null;
  let stopping = false;

  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping...');
    await Promise.all(children.map(stopChild));
    if (postgres) await postgres.stop().catch(() => undefined);
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

    const baseEnv: NodeJS.ProcessEnv = { ...process.env, HOST: config.host, NODE_ENV: process.env.NODE_ENV ?? 'development', ...tokenEnv };
    delete baseEnv.DATABASE_URL;
    delete baseEnv.LINK_KEY_SECRET;
    const started = await Promise.all(
      SUBGRAPHS.map((s) =>
        forkAndWait(s.name, join(__dirname, '..', 'subgraphs', s.name, 'main.js'), {
          ...baseEnv,
          PORT: String(config.subgraphPorts[s.name]),
          // Each subgraph gets its own database login and nothing else.
          DATABASE_URL: logins[s.name].appUrl,
          ...(HOLDS_LINK_KEY_SECRET.includes(s.name) ? { LINK_KEY_SECRET: config.linkKeySecret } : {}),
        }),
      ),
    );
    children.push(...started);
    const gateway = await forkAndWait('gateway', join(__dirname, '..', 'gateway', 'main.js'), {
      ...baseEnv,
      PORT: String(config.gatewayPort),
      ...Object.fromEntries(SUBGRAPHS.map((s) => [`${s.name.toUpperCase()}_URL`, `http://localhost:${config.subgraphPorts[s.name]}/graphql`])),
    });
    children.push(gateway);
    for (const child of children) {
      child.process.on('exit', (code) => {
        if (!stopping) {
          log(`${child.name} stopped unexpectedly (code ${code}); stopping the stack.`);
          void shutdown(1);
        }
      });
    }
    log(`ready: gateway at http://localhost:${config.gatewayPort}/graphql`);
  } catch (err) {
    console.error(`[start] ${(err as Error).message}`);
    await shutdown(1);
  }
}

void main();
