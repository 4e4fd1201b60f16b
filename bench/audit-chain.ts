/**
 * What the audit trail's hash chain costs (the audit-chain migration), on a
 * throwaway embedded PostgreSQL:
 *   - a request's append (5 entries, its own transaction, chained as it commits),
 *     500 times: median and p95;
 *   - an import-sized transaction (100 appends of 500 entries): the appends, and
 *     the commit, which is where its 50,000 entries are chained under the lock;
 *   - appends made by another connection while that commit runs (the slowest
 *     waited for the chain's lock, held while the entries are chained);
 *   - audit:verify's walk over the whole trail.
 *
 *   npx tsc -p . ; node dist/bench/audit-chain.js [entries-per-import (50000)]
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { governance } from '../subgraphs/governance/index';
import { verifyAuditChain, type ChainQuery } from '../subgraphs/toolkit/audit-chain';
import { auditRoleName } from '../subgraphs/toolkit/database/provision';
import { scratchDatabases } from '../subgraphs/toolkit/database/scratch';

const entries = (n: number, tag: string) =>
  JSON.stringify(Array.from({ length: n }, (_, i) => ({ user_id: `bench-${tag}`, roles: ['la_caseworker'], org: 'LA', operation_name: 'Bench', request_id: `${tag}-${i}`, action: 'WRITE', entity_type: 'Referral', entity_id: `${tag}-${i}`, fields: ['receivedDate', 'status'] })));

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))].toFixed(2);

async function main(): Promise<void> {
  const importSize = Number(process.argv[2] ?? 50_000);
  const scratch = await scratchDatabases('audit-chain-bench', [governance], null);
  const login = scratch.logins.governance;
  const app = new pg.Client({ connectionString: login.appUrl });
  const other = new pg.Client({ connectionString: login.appUrl });
  await app.connect();
  await other.connect();
  try {
    const small: number[] = [];
    for (let i = 0; i < 550; i++) {
      const t = performance.now();
      await app.query('SELECT append_audit_events($1::json)', [entries(5, `r${i}`)]);
      if (i >= 50) small.push(performance.now() - t);
    }
    console.log(`request-sized append (5 entries, autocommit, chained at commit): median ${pct(small, 0.5)} ms, p95 ${pct(small, 0.95)} ms over ${small.length}`);

    const chunks = Math.ceil(importSize / 500);
    let t = performance.now();
    await app.query('BEGIN');
    for (let c = 0; c < chunks; c++) await app.query('SELECT append_audit_events($1::json)', [entries(500, `i${c}`)]);
    const appended = performance.now() - t;
    t = performance.now();
    let committing = true;
    const commit = app.query('COMMIT').finally(() => (committing = false));
    // Requests append one after another while the import commits; the slowest
    // waited for the chain's lock, which is held only while the entries are chained.
    const during: number[] = [];
    while (committing) {
      const t2 = performance.now();
      await other.query('SELECT append_audit_events($1::json)', [entries(5, `during${during.length}`)]);
      during.push(performance.now() - t2);
    }
    await commit;
    const committed = performance.now() - t;
    console.log(`import-sized transaction (${chunks} appends of 500): appends ${appended.toFixed(0)} ms, commit (chaining ${chunks * 500} entries) ${committed.toFixed(0)} ms`);
    console.log(`requests appending meanwhile: ${during.length}, slowest ${Math.max(...during).toFixed(0)} ms, median ${pct(during, 0.5)} ms`);

    const query: ChainQuery = async <T>(sql: string, params?: unknown[]) => (await app.query(sql, params)).rows as T[];
    t = performance.now();
    await app.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const report = await verifyAuditChain(query, { auditRole: auditRoleName(login.database), appRole: `${login.database}_app` });
    await app.query('COMMIT');
    console.log(`audit:verify walk: ${report.entries} entries in ${(performance.now() - t).toFixed(0)} ms, ${report.broken ? `BROKEN: ${report.broken.problem}` : 'intact'}`);
  } finally {
    await app.end();
    await other.end();
    await scratch.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
