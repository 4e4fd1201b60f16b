/**
 * Prints what the read audit adds per 50-child caseworker page (the page of
 * `npm run bench:gateway`'s caseworker-page workload): rows and bytes appended
 * to each subgraph's audit trail (audit_event and its chain, with their
 * indexes), the CPU per page of this process (gateway and subgraphs run in it;
 * PostgreSQL's own is not counted), the plan of "who read this child, when", and
 * what the database takes to append one page's reads grouped against one row per
 * record.
 * Figures only, no assertions. Run:
 *   npx jest --testMatch '<rootDir>/bench/audit-reads.bench.ts'
 */
import pg from 'pg';
import { adminUrl, TEST_LINK_KEY_SECRET } from '../test/support/databases';
import { startTestStack } from '../test/support/stack';
import { sql } from '../test/security/helpers';

const PAGES = 40;
/** Other requests' reads in the trail when the plan is taken (each of 50 children). */
const BACKDROP = 20_000;
const AS_OF = '2026-11-22';
const seed = { linkKeySecret: TEST_LINK_KEY_SECRET, scale: 0.1, today: AS_OF, log: () => undefined };

const PAGE = `query CaseworkerPage { children(first: 50, filter: { hasActivePlan: true, asOf: "${AS_OF}" }) { totalCount nodes { id forename surname birthDate district primaryNeed
  requests { receivedDate source outcome outcomeDate decisionDueDate decisionWithinSixWeeks assessment { outcome outcomeDate draftPlanDate week20Exception finalPlanDueDate healthAdvice { askedDate returnedDate returnedWithinSixWeeks } } }
  ehcPlans { issueDate ceaseDate weeksToIssue issuedWithinTwentyWeeks placements { rank senSetting senUnit resourcedProvision } senNeeds { rank senType } annualReviews { dueDate meetingDate outcome } } } } }`;

const TRAIL = ['audit_event', 'audit_chain_entry', 'audit_chain'];

it('read audit per 50-child caseworker page', async () => {
  const stack = await startTestStack({ seed });
  try {
    const size = async (subgraph: string) =>
      (
        await sql<{ rows: number; bytes: string }>(
          stack,
          subgraph,
          `SELECT (SELECT count(*)::int FROM audit_event) AS rows, (SELECT sum(pg_total_relation_size(t))::text FROM unnest($1::regclass[]) AS t) AS bytes`,
          [TRAIL],
        )
      )[0];
    const before = { casework: await size('casework'), health: await size('health') };
    let childId = '';
    // Warm-up pages (planning, caches), not counted.
    for (let i = 0; i < 5; i++) {
      const res = await stack.queryAs('la_caseworker', PAGE);
      if (res.errors) throw new Error(JSON.stringify(res.errors));
    }
    const warm = { casework: await size('casework'), health: await size('health') };
    Object.assign(before, warm);
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < PAGES; i++) {
      const res = await stack.queryAs<{ children: { nodes: Array<{ id: string }> } }>('la_caseworker', PAGE);
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      if (res.data!.children.nodes.length !== 50) throw new Error(`a page of ${res.data!.children.nodes.length} children, not 50: seed a larger scale`);
      childId = res.data!.children.nodes[7].id;
    }
    const used = process.cpuUsage(cpu);
    const lines = [`${PAGES} caseworker pages of 50 children, scale ${seed.scale}; per page: ${((used.user + used.system) / 1000 / PAGES).toFixed(1)} ms CPU in the gateway and subgraphs (one process), ${((performance.now() - started) / PAGES).toFixed(0)} ms wall`];
    for (const subgraph of ['casework', 'health'] as const) {
      const after = await size(subgraph);
      const rows = (after.rows - before[subgraph].rows) / PAGES;
      const bytes = (Number(after.bytes) - Number(before[subgraph].bytes)) / PAGES;
      const [{ content }] = await sql<{ content: string }>(stack, subgraph, `SELECT coalesce(sum(pg_column_size(e.*)), 0)::text AS content FROM (SELECT * FROM audit_event ORDER BY id DESC LIMIT $1) e`, [after.rows - before[subgraph].rows]);
      lines.push(`  ${subgraph.padEnd(8)}: ${rows.toFixed(1)} audit rows, ${(Number(content) / PAGES / 1024).toFixed(1)} KB of row content, ${(bytes / 1024).toFixed(1)} KB on disk with chain and indexes`);
    }
    // A trail the size of a day of load tests around it: other requests' reads of 50 other children each.
    const others = (n: number) => Array.from({ length: 50 }, (_, j) => `00000000-0000-4000-8000-${String(n * 50 + j).padStart(12, '0')}`);
    for (let batch = 0; batch < BACKDROP / 500; batch++) {
      const entries = Array.from({ length: 500 }, (_, k) => ({ user_id: 'backdrop', roles: ['la_caseworker'], org: 'LA', request_id: `b${batch}-${k}`, action: 'READ', entity_type: 'Child', record_ids: others(batch * 500 + k), fields: ['forename', 'surname'] }));
      await sql(stack, 'casework', 'SELECT append_audit_events($1::json)', [JSON.stringify(entries)]);
    }
    // As the administrator: ANALYZE is the table owner's (<db>_audit's).
    const admin = new URL(adminUrl());
    admin.pathname = `/${stack.databases.logins.casework.database}`;
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    await client.query('ANALYZE audit_event').finally(() => client.end());
    // As the API's entityId filter asks it: old rows name their record in entity_id, a request's reads list theirs in record_ids.
    const who = `SELECT occurred_at, user_id, request_id FROM audit_event WHERE action = 'READ' AND entity_type = 'Child' AND (entity_id = $1 OR record_ids @> ARRAY[$1]::text[]) ORDER BY occurred_at`;
    const plan = await sql<{ 'QUERY PLAN': string }>(stack, 'casework', `EXPLAIN (ANALYZE) ${who.replaceAll('$1', `'${childId}'`)}`);
    const found = await sql(stack, 'casework', who, [childId]);
    lines.push(`who read this child, when (${found.length} requests found of ${PAGES + 5}, among ${BACKDROP} other requests' reads):`, `  ${who}`, ...plan.map((p) => `    ${p['QUERY PLAN']}`));
    // The append itself, as the database does it, one page's reads as one row per record type and field set
    // (as now) against one row per record (as before 2026-12-07), interleaved: median wall ms per append.
    const [last] = await sql<{ request_id: string }>(stack, 'casework', `SELECT request_id FROM audit_event WHERE action = 'READ' ORDER BY id DESC LIMIT 1`);
    const grouped = await sql<{ entity_type: string; record_ids: string[]; fields: string[] }>(stack, 'casework', `SELECT entity_type, record_ids, fields FROM audit_event WHERE request_id = $1`, [last.request_id]);
    const common = { user_id: 'append-bench', roles: ['la_caseworker'], org: 'LA', operation_name: 'CaseworkerPage', request_id: 'append-bench', action: 'READ' };
    const payloads = {
      grouped: JSON.stringify(grouped.map((g) => ({ ...common, entity_type: g.entity_type, entity_id: g.record_ids.length === 1 ? g.record_ids[0] : null, record_ids: g.record_ids, fields: g.fields }))),
      perRecord: JSON.stringify(grouped.flatMap((g) => g.record_ids.map((id) => ({ ...common, entity_type: g.entity_type, entity_id: id, fields: g.fields })))),
    };
    const app = new pg.Client({ connectionString: stack.databases.logins.casework.appUrl });
    await app.connect();
    const appendMs: Record<keyof typeof payloads, number[]> = { grouped: [], perRecord: [] };
    try {
      for (let i = 0; i < 60; i++) {
        for (const kind of (i % 2 ? ['grouped', 'perRecord'] : ['perRecord', 'grouped']) as Array<keyof typeof payloads>) {
          const t0 = performance.now();
          await app.query('SELECT append_audit_events($1::json)', [payloads[kind]]);
          if (i >= 10) appendMs[kind].push(performance.now() - t0);
        }
      }
    } finally {
      await app.end();
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)].toFixed(1);
    lines.push(`  casework's append of one page's reads (50 interleaved, median, as the database takes it): ${grouped.length} rows ${median(appendMs.grouped)} ms; the same reads as ${JSON.parse(payloads.perRecord).length} rows, one per record, ${median(appendMs.perRecord)} ms`);
    console.log(lines.join('\n'));
  } finally {
    await stack.stop();
  }
}, 600_000);
