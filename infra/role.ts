/**
 * The image's entrypoint: one container runs one role.
 *
 *   docker run IMAGE <role> [arguments]     (node dist/infra/role.js <role> ... outside a container)
 *
 * Servers and the migrator run in this process, so signals reach them directly;
 * the import commands keep their own entry points and run as a child process.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { HOLDS_LINK_KEY_SECRET, SUBGRAPH_NAMES, type SubgraphName } from '../platform/topology';
import type { SubgraphDefinition } from '../subgraphs/toolkit/subgraph';

export interface Role {
  name: string;
  arguments: string;
  description: string;
  /** Variables it cannot run without in a deployment. */
  needs: readonly string[];
  /** Variables it reads when given (besides the GRAPHQL_MAX_* request limits). */
  optional: readonly string[];
}

const TOKENS = ['OIDC_ISSUER', 'OIDC_AUDIENCE', 'OIDC_JWKS_URL'];
// Every server also reads the logging, metrics and tracing settings (README, "Logs, metrics and traces").
const SERVER = ['NODE_ENV', 'HOST', 'PORT', 'LOG_LEVEL', 'LOG_FORMAT', 'METRICS_TOKEN', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_SERVICE_NAME'];
const IMPORT = { needs: ['DATABASE_URL', 'LINK_KEY_SECRET'], optional: ['NODE_ENV', 'DB_PREFIX', 'DATA_DIR'] };

export const ROLES: readonly Role[] = [
  { name: 'gateway', arguments: '', description: 'the GraphQL gateway (GraphQL at /graphql)', needs: ['CASEWORK_URL', 'HEALTH_URL', 'GOVERNANCE_URL', ...TOKENS], optional: [...SERVER, 'SUPERGRAPH_PATH'] },
  ...SUBGRAPH_NAMES.map((name) => ({
    name,
    arguments: '',
    description: `the ${name} subgraph; DATABASE_URL is its runtime login <prefix>_${name}_app`,
    needs: ['DATABASE_URL', ...(HOLDS_LINK_KEY_SECRET.includes(name) ? ['LINK_KEY_SECRET'] : []), ...TOKENS],
    optional: SERVER,
  })),
  { name: 'migrate', arguments: '<subgraph>', description: 'applies that subgraph\'s migrations and grants, then exits; DATABASE_URL is its owner login <prefix>_<subgraph>_owner', needs: ['DATABASE_URL'], optional: [] },
  { name: 'import:sen2', arguments: '<file.xml> [--case-extract <file.csv>] [--skip-invalid]', description: 'imports a DfE SEN2 return into casework', ...IMPORT },
  { name: 'import:referrals', arguments: '<file.csv>', description: 'imports a provider referral extract into health', ...IMPORT },
  { name: 'import:health-advice', arguments: '<file.csv>', description: 'imports a provider health-advice extract into health', ...IMPORT },
  { name: 'import:dfe', arguments: '<file.csv> [--skip-invalid]', description: 'imports DfE published EHC plan statistics into governance', ...IMPORT },
  { name: 'web', arguments: '', description: 'the web app (pages over the gateway\'s public API; sign-in by OIDC code flow with PKCE)', needs: ['GATEWAY_URL', 'OIDC_ISSUER', 'WEB_PUBLIC_URL', 'WEB_SESSION_SECRET'], optional: [...SERVER, 'WEB_PORT', 'OIDC_DISCOVERY_URL', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] },
  { name: 'dev-issuer', arguments: '', description: 'a development token issuer (never in production): JWKS and tokens for any role', needs: ['OIDC_ISSUER', 'OIDC_AUDIENCE'], optional: ['HOST', 'PORT', 'DEV_ISSUER_PUBLIC_URL'] },
];

export function usage(): string {
  return [
    'Usage: <role> [arguments]    (docker run IMAGE <role>, or node dist/infra/role.js <role>)',
    '',
    'Roles:',
    ...ROLES.map((r) => `  ${`${r.name} ${r.arguments}`.trim()}\n      ${r.description}\n      needs ${r.needs.join(', ')}`),
    '',
    `Subgraphs: ${SUBGRAPH_NAMES.join(', ')}. Configuration: README, "Configuration" and "Deploying".`,
  ].join('\n');
}

/** Loaded on demand, so a container loads only the code of its own role. */
const SERVERS: Record<string, () => unknown> = {
  gateway: () => require('../gateway/main'),
  casework: () => require('../subgraphs/casework/main'),
  health: () => require('../subgraphs/health/main'),
  governance: () => require('../subgraphs/governance/main'),
  web: () => require('../web/main'),
  'dev-issuer': () => require('./dev-issuer-server').runDevIssuerProcess(),
};

const DEFINITIONS: Record<SubgraphName, () => SubgraphDefinition> = {
  casework: () => require('../subgraphs/casework').casework,
  health: () => require('../subgraphs/health').health,
  governance: () => require('../subgraphs/governance').governance,
};

const IMPORTS: Record<string, () => string> = {
  'import:sen2': () => require.resolve('../subgraphs/casework/import/cli'),
  'import:referrals': () => require.resolve('../subgraphs/health/import/referrals-cli'),
  'import:health-advice': () => require.resolve('../subgraphs/health/import/health-advice-cli'),
  'import:dfe': () => require.resolve('../subgraphs/governance/import/cli'),
};

/** Runs an import command as a child, passing signals on and exiting as it exits. */
function runChild(script: string, args: readonly string[]): void {
  const child = spawn(process.execPath, [script, ...args], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 1)));
}

function fail(message: string): never {
  console.error(`${message}\n\n${usage()}`);
  process.exit(2);
}

export async function main(argv: readonly string[]): Promise<void> {
  const [role, ...args] = argv;
  if (!role) fail('Which role? Give one.');
  if (role === 'help' || role === '--help' || role === '-h') {
    console.log(usage());
    return;
  }
  if (SERVERS[role]) {
    if (args.length) fail(`The ${role} role takes no arguments; it is configured by environment variables.`);
    SERVERS[role]();
    return;
  }
  if (role === 'migrate') {
    const [name, ...rest] = args;
    if (!name || rest.length || !(SUBGRAPH_NAMES as readonly string[]).includes(name)) fail(`migrate needs one subgraph: ${SUBGRAPH_NAMES.join(', ')}.`);
    require('reflect-metadata');
    const { runMigrateCommand } = require('../subgraphs/toolkit/database/migrate-cli') as typeof import('../subgraphs/toolkit/database/migrate-cli');
    process.exit(await runMigrateCommand(DEFINITIONS[name as SubgraphName]()));
  }
  if (IMPORTS[role]) {
    runChild(IMPORTS[role](), args);
    return;
  }
  fail(`Unknown role "${role}".`);
}

if (require.main === module) void main(process.argv.slice(2));
