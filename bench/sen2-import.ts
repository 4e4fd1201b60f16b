/**
 * Benchmark: the SEN2 import's write pass on a large return.
 *   npx tsc -p . ; node dist/bench/sen2-import.js [people]
 * Starts its own embedded PostgreSQL in a temp directory on a free port, migrates
 * an empty casework database, builds a return of N people (default 5,000; each a
 * request that led to a plan with a placement, a need and a review; every fifth
 * without a UPN, matched on names and birth date) with a case extract for every
 * fourth (NHS number, district, team, worker), then times: the import (all new),
 * the same again (all updates, nothing changes), and a later return (a second
 * review for each plan). Prints the figures, checks the row and audit counts, stops.
 */
import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/postgresql';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { scratchDatabases } from '../subgraphs/toolkit/database/scratch';
import { openDatabase } from '../subgraphs/toolkit/database';
import { addDays, addMonths, today } from '../subgraphs/toolkit/dates';
import { syntheticPopulation } from '../subgraphs/toolkit/synthetic/population';
import { casework } from '../subgraphs/casework/index';
import { importSen2 } from '../subgraphs/casework/import/sen2-import';
import { chunksOf } from '../subgraphs/casework/import/sen2-xml';
import { runScript } from './script';

const NEEDS = ['ASD', 'SEMH', 'SLCN', 'MLD', 'SPLD'];

export function sen2Return(n: number, today: string, later: boolean): { xml: string; extract: string } {
  // Children born before 2019, so that requests from 2021 follow their birth; each a different child by
  // every key the import matches on (UPN, and names with birth date for those sent without one), or the
  // import would rightly refuse the return as naming one child twice.
  const seen = new Set<string>();
  const people = syntheticPopulation(n * 4, today).filter((p) => {
    const key = `${p.surname}|${p.forename}|${p.birthDate}`;
    if (p.birthDate >= '2019-01-01' || seen.has(key)) return false;
    seen.add(key);
    return true;
  }).slice(0, n);
  if (people.length < n) throw new Error(`only ${people.length} distinct synthetic children born before 2019`);
  const persons: string[] = [];
  const extract = ['upn,uln,surname,forename,birth_date,nhs_number,district,team,allocated_worker,no_worker_reason,no_worker_review_date'];
  people.forEach((p, i) => {
    const upn = i % 5 === 4 ? '' : `<UPN>${p.upn}</UPN>`;
    const received = addDays('2021-01-04', i % 700);
    const decided = addDays(received, 40);
    const assessed = addDays(received, 100);
    const start = addDays(received, 130);
    const meeting = addDays(addMonths(start, later ? 23 : 11), 0);
    persons.push(`<Person><Surname>${p.surname}</Surname><Forename>${p.forename}</Forename><PersonBirthDate>${p.birthDate}</PersonBirthDate><Sex>${p.sex}</Sex>${upn}
<Requests><ReceivedDate>${received}</ReceivedDate><RYA>false</RYA><RequestOutcomeDate>${decided}</RequestOutcomeDate><RequestOutcome>Y</RequestOutcome><RequestMediation>false</RequestMediation><RequestTribunal>0</RequestTribunal>
<Assessment><AssessmentOutcome>Y</AssessmentOutcome><AssessmentOutcomeDate>${assessed}</AssessmentOutcomeDate><Week20>false</Week20>
<NamedPlan><StartDate>${start}</StartDate><PlanDetail><URN>${100000 + (i % 900)}</URN><PlacementRank>1</PlacementRank></PlanDetail><PB>FALSE</PB></NamedPlan></Assessment>
<ActivePlans><PlacementDetail><URN>${100000 + (i % 900)}</URN><PlacementRank>1</PlacementRank></PlacementDetail><SENneed><SENtype>${NEEDS[i % NEEDS.length]}</SENtype><SENtypeRank>1</SENtypeRank></SENneed>
<ReviewMeeting>${meeting}</ReviewMeeting><ReviewOutcome>M</ReviewOutcome><LastReview>${addDays(meeting, 14)}</LastReview></ActivePlans></Requests></Person>`);
    if (i % 4 === 0) extract.push(`${upn ? p.upn : ''},,${p.surname},${p.forename},${p.birthDate},${p.nhsNumber},${p.district},Plan and Review ${i % 3},Worker ${i % 40},,`);
  });
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Message><Header><CollectionDetails><Collection>SEN2</Collection><Year>2025</Year><ReferenceDate>2025-01-16</ReferenceDate></CollectionDetails><Source><SourceLevel>L</SourceLevel><LEA>891</LEA></Source></Header>
<Persons>
${persons.join('\n')}
</Persons></Message>
`;
  return { xml, extract: extract.join('\n') + '\n' };
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 5000);
  const asOf = today();
  const scratch = await scratchDatabases('sen2-import-bench', [casework], null);
  try {
    const { logins } = scratch;
    const orm = await openDatabase({ url: logins.casework.appUrl, entities: casework.entities, migrations: casework.migrations, poolMax: 2 });
    try {
      const first = sen2Return(n, asOf, false);
      const second = sen2Return(n, asOf, true);
      console.log(`SEN2 import, ${n} people (${(first.xml.length / 1024 / 1024).toFixed(1)} MB), case extract of ${first.extract.split('\n').length - 2} rows, empty casework database:`);
      for (const [name, ret] of [['all new', first], ['same return again', first], ['later return (a new review each)', second]] as const) {
        const t = performance.now();
        const result = await importSen2({
          open: () => chunksOf(ret.xml, 256 * 1024), size: ret.xml.length, caseExtract: ret.extract, user: 'bench', today: asOf,
          database: async () => ({ em: orm.em.fork() as EntityManager, linkKeySecret: 'bench-secret' }),
        });
        const s = (performance.now() - t) / 1000;
        console.log(`  ${name.padEnd(34)} ${result.status} created ${result.created} updated ${result.updated} problems ${result.problems.length}  ${s.toFixed(1)} s  (${((s * 1000) / n).toFixed(2)} ms per person, both passes)`);
        if (result.problems.length) console.log(result.report.slice(0, 5).join('\n'));
      }
      const [counts] = await orm.em.fork().getConnection().execute(`SELECT (SELECT count(*) FROM child)::int AS children, (SELECT count(*) FROM ehcna_request)::int AS requests,
        (SELECT count(*) FROM ehc_plan)::int AS plans, (SELECT count(*) FROM plan_placement)::int AS placements, (SELECT count(*) FROM plan_sen_need)::int AS needs,
        (SELECT count(*) FROM annual_review)::int AS reviews, (SELECT count(*) FROM worker_allocation)::int AS allocations, (SELECT count(*) FROM audit_event)::int AS audited,
        (SELECT count(*) FROM casework_child_measure_month)::int AS facts, (SELECT sum(num)::int FROM casework_measure_month) AS fact_total`);
      console.log(`rows: ${JSON.stringify(counts)}`);
      // A digest of what was written, ids aside, to compare one implementation's result with another's.
      const [digest] = await orm.em.fork().getConnection().execute(`SELECT md5(string_agg(line, '|' ORDER BY line)) AS digest FROM (
        SELECT concat_ws(',', c.surname, c.forename, c.birth_date, c.sex, c.upn, c.uln, c.nhs_number, c.link_key, c.district, c.primary_need, t.name,
          r.received_date, r.source, r.outcome, r.outcome_date, a.outcome, a.outcome_date, a.week20exception, e.issue_date, e.personal_budget,
          (SELECT string_agg(concat_ws(':', pl.rank, pl.urn), ';' ORDER BY pl.rank) FROM plan_placement pl WHERE pl.plan_id = e.id),
          (SELECT string_agg(concat_ws(':', n.rank, n.sen_type), ';' ORDER BY n.rank) FROM plan_sen_need n WHERE n.plan_id = e.id),
          (SELECT string_agg(concat_ws(':', v.due_date, v.meeting_date, v.outcome, v.decision_date), ';' ORDER BY v.meeting_date) FROM annual_review v WHERE v.plan_id = e.id),
          (SELECT string_agg(concat_ws(':', w.start_date, w.end_date, cw.name, w.decided_by, w.reason, w.next_review_date), ';' ORDER BY w.start_date, cw.name)
             FROM worker_allocation w LEFT JOIN caseworker cw ON cw.id = w.caseworker_id WHERE w.child_id = c.id)) AS line
        FROM child c LEFT JOIN team t ON t.id = c.team_id LEFT JOIN ehcna_request r ON r.child_id = c.id
          LEFT JOIN ehc_needs_assessment a ON a.request_id = r.id LEFT JOIN ehc_plan e ON e.assessment_id = a.id) x`);
      console.log(`digest of the rows written: ${(digest as { digest: string }).digest}`);
    } finally {
      await orm.close(true);
    }
  } finally {
    await scratch.stop();
  }
}

if (require.main === module) runScript(main);
