/**
 * npm run audit:verify -- [casework|health|governance ...] [--anchor <subgraph>=<position>:<hash>]
 *
 * Walks each data controller's audit trail against its hash chain and prints, per
 * database, "intact" with the chain head (publish it: passed back later as
 * --anchor it proves nothing before it was rewritten) or the first broken link:
 * row id, chain position and what is wrong, never the row's contents.
 *
 * Exit codes: 0 every trail intact; 1 a trail is broken; 2 usage, or a database
 * that cannot be reached.
 */
import 'reflect-metadata';
import { verifyAuditChain, type ChainAnchor, type ChainQuery } from '../subgraphs/toolkit/audit-chain';
import { openCliDatabase } from '../subgraphs/toolkit/cli';
import { auditRoleName, databaseName } from '../subgraphs/toolkit/database/provision';
import { SUBGRAPH_NAMES } from '../platform/topology';
import { SUBGRAPHS } from './subgraphs';

export const USAGE = `Usage: npm run audit:verify -- [${SUBGRAPH_NAMES.join('|')} ...] [--anchor <subgraph>=<position>:<hash>]`;

interface Args {
  subgraphs: string[];
  anchors: Record<string, ChainAnchor>;
}

export function parseArgs(argv: readonly string[]): Args | string {
  const args: Args = { subgraphs: [], anchors: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--anchor') {
      const m = /^([a-z]+)=(\d+):([0-9a-fA-F]{64})$/.exec(argv[++i] ?? '');
      if (!m || !SUBGRAPH_NAMES.includes(m[1] as never)) return '--anchor needs <subgraph>=<position>:<64 hex digits>, as audit:verify printed it.';
      args.anchors[m[1]] = { position: m[2], hash: m[3] };
    } else if (a === '--help' || a === '-h') return '';
    else if (a.startsWith('-')) return `Unknown option ${a}.`;
    else if (!SUBGRAPH_NAMES.includes(a as never)) return `Unknown subgraph "${a}"; expected one of ${SUBGRAPH_NAMES.join(', ')}.`;
    else args.subgraphs.push(a);
  }
  if (args.subgraphs.length === 0) args.subgraphs = [...SUBGRAPH_NAMES];
  return args;
}

/** The command, in-process: returns the exit code. */
export async function runAuditVerify(argv: readonly string[], print: (line: string) => void = (l) => console.log(l)): Promise<number> {
  const parsed = parseArgs(argv);
  if (typeof parsed === 'string') {
    if (parsed) console.error(parsed);
    console.error(USAGE);
    return 2;
  }
  let code = 0;
  for (const name of parsed.subgraphs) {
    const definition = SUBGRAPHS.find((s) => s.name === name)!;
    let db;
    try {
      db = await openCliDatabase(definition);
    } catch (err) {
      print(`${name}: cannot check: ${(err as Error).message}`);
      code = Math.max(code, 2);
      continue;
    }
    const database = databaseName(db.config.databasePrefix, name);
    // One connection, one snapshot: entries committed while the walk runs are not half-seen.
    const knexClient = db.orm.em.getConnection().getKnex().client as { acquireConnection(): Promise<PgConnection>; releaseConnection(c: PgConnection): Promise<void> };
    const conn = await knexClient.acquireConnection();
    try {
      const query: ChainQuery = async <T>(sql: string, params?: unknown[]) => (await conn.query(sql, params)).rows as T[];
      await conn.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const report = await verifyAuditChain(query, { auditRole: auditRoleName(database), appRole: `${database}_app`, anchor: parsed.anchors[name] });
      await conn.query('COMMIT');
      if (report.broken) {
        const b = report.broken;
        const where = [b.rowId !== null ? `row ${b.rowId}` : null, b.position !== null ? `chain position ${b.position}` : null].filter(Boolean).join(', ');
        print(`${name} (${database}): BROKEN${where ? ` at ${where}` : ''}: ${b.problem}. ${report.entries} entries before it are intact.`);
        code = Math.max(code, 1);
      } else if (report.head) {
        print(`${name} (${database}): intact, ${report.entries} entries; head ${name}=${report.head.position}:${report.head.hash}`);
      }
    } catch (err) {
      await conn.query('ROLLBACK').catch(() => undefined);
      print(`${name} (${database}): cannot check: ${(err as Error).message}`);
      code = Math.max(code, 2);
    } finally {
      await knexClient.releaseConnection(conn);
      await db.close();
    }
  }
  return code;
}

interface PgConnection {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

if (require.main === module) {
  runAuditVerify(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`audit:verify failed: ${(err as Error).message}`);
      process.exit(2);
    },
  );
}
