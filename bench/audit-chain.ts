/**
 * What the audit trail's hash chain costs (the audit-chain migration), on a
 * throwaway embedded PostgreSQL:
 *   - a request's append (5 entries, its own transaction, sealed as it commits),
 *     500 times with the sealing and 500 with its trigger turned off: median and p95;
 *   - an import-sized transaction (100 appends of 500 entries): the appends, and
 *     the commit, which seals its one link;
 *   - appends made by another connection while that commit runs (the slowest
 *     shows how long the chain's lock was held);
 *   - audit:verify's walk over the whole trail.
 *
 *   npx tsc -p . ; node dist/bench/audit-chain.js [entries-per-import (50000)]
 */
import 'reflect-metadata';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { governance } from '../subgraphs/governance/index';
import { verifyAuditChain, type ChainQuery } from '../subgraphs/toolkit/audit-chain';
import { auditRoleName } from '../subgraphs/toolkit/database/provision';
import { startEmbeddedPostgres } from '../subgraphs/toolkit/database/embedded-postgres';
import { prepareDatabases } from '../subgraphs/toolkit/database/prepare';
import { freePort } from '../subgraphs/toolkit/ports';

const entries = (n: number, tag: string) =>
  JSON.stringify(Array.from({ length: n }, (_, i) => ({ user_id: `bench-${tag}`, roles: ['la_caseworker'], org: 'LA', operation_name: 'Bench', request_id: `${tag}-${i}`, action: 'WRITE', entity_type: 'Referral', entity_id: `${tag}-${i}`, fields: ['receivedDate', 'status'] })));

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))].toFixed(2);

async function main(): Promise<void> {
  const importSize = Number(process.argv[2] ?? 50_000);
  const dir = mkdtempSync(join(tmpdir(), 'audit-chain-bench-'));
  chmodSync(dir, 0o755); // PostgreSQL runs as its own user when this is root
  const postgres = await startEmbeddedPostgres({ dir: join(dir, 'pg'), port: await freePort(), password: 'bench-only' });
  const logins = await prepareDatabases({ adminUrl: postgres.adminUrl, prefix: 'bench', subgraphs: [governance], seed: null, log: () => undefined });
  const login = logins.governance;
  const adminUrl = new URL(postgres.adminUrl);
  adminUrl.pathname = `/${login.database}`;
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  const app = new pg.Client({ connectionString: login.appUrl });
  const other = new pg.Client({ connectionString: login.appUrl });
  await admin.connect();
  await app.connect();
  await other.connect();
  try {
    // Rounds with the chain and rounds without its sealing (the trigger turned off
    // by the administrator; entries are still hashed as they are appended),
    // interleaved so that machine load falls on both alike.
    const small: Record<'chained' | 'unchained', number[]> = { chained: [], unchained: [] };
    for (let round = 0; round < 22; round++) {
      for (const mode of round % 2 ? (['chained', 'unchained'] as const) : (['unchained', 'chained'] as const)) {
        await admin.query(`ALTER TABLE audit_chain_entry ${mode === 'chained' ? 'ENABLE' : 'DISABLE'} TRIGGER audit_chain_seal`);
        for (let i = 0; i < 25; i++) {
          const t = performance.now();
          await app.query('SELECT append_audit_events($1::json)', [entries(5, `${mode}${round}-${i}`)]);
          if (round >= 2) small[mode].push(performance.now() - t);
        }
      }
    }
    await admin.query('ALTER TABLE audit_chain_entry ENABLE TRIGGER audit_chain_seal');
    console.log(`request-sized append (5 entries, its own transaction), median / p95 over ${small.chained.length}: chained ${pct(small.chained, 0.5)} / ${pct(small.chained, 0.95)} ms, without the sealing ${pct(small.unchained, 0.5)} / ${pct(small.unchained, 0.95)} ms`);
    // Entries appended without the sealing stay off the chain; the walk below stops at them.
    const unchainedIds = (await admin.query('SELECT x.event_id FROM audit_chain_entry x WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.link_id = x.link_id)')).rows.length;

    const chunks = Math.ceil(importSize / 500);
    let t = performance.now();
    await app.query('BEGIN');
    for (let c = 0; c < chunks; c++) await app.query('SELECT append_audit_events($1::json)', [entries(500, `i${c}`)]);
    const appended = performance.now() - t;
    t = performance.now();
    let committing = true;
    const commit = app.query('COMMIT').finally(() => (committing = false));
    // Requests append one after another while the import commits; none should
    // wait long, as the import holds the chain's lock only to seal one link.
    const during: number[] = [];
    while (committing) {
      const t2 = performance.now();
      await other.query('SELECT append_audit_events($1::json)', [entries(5, `during${during.length}`)]);
      during.push(performance.now() - t2);
    }
    await commit;
    const committed = performance.now() - t;
    console.log(`import-sized transaction (${chunks} appends of 500): appends ${appended.toFixed(0)} ms, commit (sealing ${chunks * 500} entries) ${committed.toFixed(0)} ms`);
    console.log(`requests appending meanwhile: ${during.length}, slowest ${Math.max(...during).toFixed(0)} ms, median ${pct(during, 0.5)} ms`);

    const query: ChainQuery = async <T>(sql: string, params?: unknown[]) => (await app.query(sql, params)).rows as T[];
    t = performance.now();
    await app.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const report = await verifyAuditChain(query, { auditRole: auditRoleName(login.database), appRole: `${login.database}_app` });
    await app.query('COMMIT');
    const ms = performance.now() - t;
    const verdict = report.broken ? `stopped at: ${report.broken.problem}` : 'intact';
    console.log(`audit:verify walk: ${report.entries} chained entries in ${ms.toFixed(0)} ms (${Math.round(report.entries / (ms / 1000))} a second); ${verdict} (${unchainedIds} entries were appended with the sealing turned off)`);
  } finally {
    await admin.end();
    await app.end();
    await other.end();
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
