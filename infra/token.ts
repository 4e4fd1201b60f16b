import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ALL_ROLES, USUAL_ORG, type RoleName } from '../platform/roles';
import { loadOrCreateDevKeys, signDevToken } from './dev-issuer';

function usage(message: string): never {
  console.error(`${message}\nUsage: npm run token -- --role <role> [--org LA|ICB|PARTNER:name] [--user <name>] [--expires 8h]\nRoles: ${ALL_ROLES.join(', ')}`);
  process.exit(2);
}

/** `npm run token`: a token from the development issuer of the stack in DATA_DIR; the token alone on the last line. */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const role = opt('role');
  if (!role) usage('--role is required.');
  if (!(ALL_ROLES as readonly string[]).includes(role)) usage(`Unknown role "${role}".`);
  if (process.env.NODE_ENV === 'production') usage('The development issuer is not available in production; get a token from your identity provider.');
  const dataDir = resolve(process.env.DATA_DIR || '.data');
  if (!existsSync(join(dataDir, 'dev-issuer'))) console.error(`(No development issuer in ${dataDir} yet; making one. Start the stack with the same DATA_DIR to use this token.)`);
  const keys = await loadOrCreateDevKeys(dataDir);
  const org = opt('org') ?? USUAL_ORG[role as RoleName];
  const user = opt('user') ?? `dev-${role}`;
  console.error(`Token for ${user}, role ${role}, org ${org}:`);
  console.log(await signDevToken(keys, { user, roles: [role], org, expiresIn: opt('expires') }));
}

main().catch((err: unknown) => usage((err as Error).message));
