import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineCommand, readCommandLine, usageLine } from '../platform/command-line';
import { ALL_ROLES, USUAL_ORG, type RoleName } from '../platform/roles';
import { loadOrCreateDevKeys, signDevToken } from './dev-issuer';

export const TOKEN_COMMAND = defineCommand({
  command: 'npm run token --',
  summary: 'Prints a token from the development issuer of the stack in DATA_DIR (default .data), alone on the last line. Not in production.',
  options: {
    role: { type: 'string', value: '<role>', description: 'the role the token carries', required: true },
    org: { type: 'string', value: 'LA|ICB|PARTNER:<name>', description: 'the organisation it names (the role\'s usual one when left out)' },
    user: { type: 'string', value: '<name>', description: 'the user it names (dev-<role> when left out)' },
    expires: { type: 'string', value: '<lifetime>', description: 'how long it lasts, e.g. 30m or 8h (8h when left out)' },
  },
  notes: [`Roles: ${ALL_ROLES.join(', ')}`, 'Exit codes: 0 printed; 2 usage, or a token that cannot be made.'],
});

function usage(message: string): never {
  console.error(`${message}\n${usageLine(TOKEN_COMMAND)}\nRoles: ${ALL_ROLES.join(', ')}`);
  process.exit(2);
}

/** `npm run token`: a token from the development issuer of the stack in DATA_DIR; the token alone on the last line. */
async function main(): Promise<void> {
  const args = readCommandLine(TOKEN_COMMAND, process.argv.slice(2), { out: (text) => console.log(text), err: (text) => console.error(text) });
  if (typeof args === 'number') process.exit(args);
  const { role, org, user, expires } = args.options;
  if (!(ALL_ROLES as readonly string[]).includes(role)) usage(`Unknown role "${role}".`);
  if (process.env.NODE_ENV === 'production') usage('The development issuer is not available in production; get a token from your identity provider.');
  const dataDir = resolve(process.env.DATA_DIR || '.data');
  if (!existsSync(join(dataDir, 'dev-issuer'))) console.error(`(No development issuer in ${dataDir} yet; making one. Start the stack with the same DATA_DIR to use this token.)`);
  const keys = await loadOrCreateDevKeys(dataDir);
  const orgName = org ?? USUAL_ORG[role as RoleName];
  const userName = user ?? `dev-${role}`;
  console.error(`Token for ${userName}, role ${role}, org ${orgName}:`);
  console.log(await signDevToken(keys, { user: userName, roles: [role], org: orgName, expiresIn: expires }));
}

if (require.main === module) main().catch((err: unknown) => usage((err as Error).message));
