/**
 * npm run audit:seal -- [casework|health|governance ...]
 *
 * Hands each named database's audit trail (all three when none is named) to its
 * own role, `<db>_audit`, which no one logs in as, and sets who may read and
 * append to it (subgraphs/toolkit/database/provision.ts, sealAuditTrail). Until
 * then the owner login, which runs the migrations, owns the trail and could turn
 * its triggers off. `npm start` does this itself; a deployment runs it as the
 * administrator after migrating. Safe to run again.
 *
 * DATABASE_URL: an administrator's login to the server (one that may create roles
 * and is a member of each <db>_owner, as the one that provisioned them is);
 * DB_PREFIX when not `send`.
 * Exit codes: 0 sealed; 1 a database could not be sealed; 2 usage.
 */
import { SUBGRAPH_NAMES } from '../platform/topology';
import { databaseName, sealAuditTrail } from '../subgraphs/toolkit/database/provision';

export async function runAuditSeal(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const unknown = argv.filter((a) => !SUBGRAPH_NAMES.includes(a as never));
  if (unknown.length) {
    console.error(`Unknown subgraph "${unknown[0]}"; expected one of ${SUBGRAPH_NAMES.join(', ')}.\nUsage: npm run audit:seal -- [${SUBGRAPH_NAMES.join('|')} ...]`);
    return 2;
  }
  if (!env.DATABASE_URL) {
    console.error('DATABASE_URL is not set: give an administrator\'s login to the server. (npm start seals the trail of its own databases itself.)');
    return 2;
  }
  const prefix = env.DB_PREFIX || 'send';
  let code = 0;
  for (const name of argv.length ? argv : SUBGRAPH_NAMES) {
    const database = databaseName(prefix, name);
    try {
      await sealAuditTrail(env.DATABASE_URL, database);
      console.log(`${name} (${database}): audit trail sealed: owned by ${database}_audit; the runtime login appends through append_audit_events only.`);
    } catch (err) {
      console.error(`${name} (${database}): could not seal the audit trail: ${(err as Error).message}`);
      code = 1;
    }
  }
  return code;
}

if (require.main === module) {
  runAuditSeal(process.argv.slice(2)).then((code) => process.exit(code));
}
