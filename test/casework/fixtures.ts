import pg from 'pg';
import { casework } from '../../subgraphs/casework';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/toolkit/subgraph';
import { createTestIssuer, type TestIssuer } from '../support/auth';
import { createTestDatabases, type TestDatabases } from '../support/databases';

/** Fixed ids so a test can name each record. */
export const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export const C1 = id(1), C2 = id(2), C3 = id(3), C4 = id(4);
export const R1 = id(11), R2 = id(12), R3 = id(13), R4 = id(14), R5 = id(15), R6 = id(16);
export const A1 = id(21), A2 = id(22), A3 = id(23);
export const E1 = id(31), E2 = id(32), E3 = id(33), E4 = id(34), E5 = id(35);
export const T1 = id(41), W1 = id(42);

/**
 * A small casework history with answers worked out by hand (see measures.test.ts):
 * four children, six requests, three assessments, five plans, reviews and allocations.
 */
export async function loadKnownCasework(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`
      INSERT INTO team (id, name, kind) VALUES ('${T1}', 'Plan and Review North', 'PLAN_AND_REVIEW');
      INSERT INTO caseworker (id, name, team_id) VALUES ('${W1}', 'Sam Atkins', '${T1}');
      INSERT INTO child (id, forename, surname, birth_date, sex, district, primary_need, upn, nhs_number, link_key) VALUES
        ('${C1}', 'Amy', 'Able', '2012-03-04', 'F', 'Ashfield', 'ASD', 'A123456789012', '9434765919', 'key-1'),
        ('${C2}', 'Ben', 'Baker', '2010-07-08', 'M', 'Bassetlaw', 'SEMH', NULL, NULL, 'key-2'),
        ('${C3}', 'Cal', 'Cole', '2008-11-12', 'M', 'Ashfield', 'ASD', NULL, NULL, NULL),
        ('${C4}', 'Dee', 'Dale', '2016-01-01', 'F', 'Ashfield', 'MLD', NULL, NULL, NULL);
      INSERT INTO ehcna_request (id, child_id, received_date, source, outcome, outcome_date) VALUES
        ('${R1}', '${C1}', '2023-01-02', 'PARENT', 'Y', '2023-02-13'),
        ('${R2}', '${C2}', '2023-01-02', 'SCHOOL', 'Y', '2023-02-14'),
        ('${R3}', '${C3}', '2023-03-01', 'PARENT', 'N', '2023-03-20'),
        ('${R4}', '${C1}', '2023-05-10', 'PARENT', 'W', '2023-05-20'),
        ('${R5}', '${C2}', '2022-12-31', 'HEALTH', 'A', NULL),
        ('${R6}', '${C3}', '2023-02-01', 'SCHOOL', 'Y', '2023-03-01');
      INSERT INTO ehc_needs_assessment (id, request_id, child_id, outcome, outcome_date, week20exception, exception_reason, ep_advice_asked_date, ep_advice_returned_date, health_advice_asked_date) VALUES
        ('${A1}', '${R1}', '${C1}', 'Y', '2023-05-01', false, NULL, '2023-02-14', '2023-03-28', '2023-02-14'),
        ('${A2}', '${R2}', '${C2}', 'Y', '2023-07-10', true, 'C', '2023-02-15', '2023-03-30', NULL),
        ('${A3}', '${R6}', '${C3}', 'Y', '2023-06-01', false, NULL, '2023-03-02', NULL, NULL);
      INSERT INTO ehc_plan (id, child_id, assessment_id, issue_date, cease_date, cease_reason) VALUES
        ('${E1}', '${C1}', '${A1}', '2023-05-22', NULL, NULL),
        ('${E2}', '${C2}', '${A2}', '2023-08-01', NULL, NULL),
        ('${E3}', '${C3}', '${A3}', '2023-06-22', NULL, NULL),
        ('${E4}', '${C3}', NULL, '2015-01-01', '2023-01-15', '2'),
        ('${E5}', '${C4}', NULL, '2023-04-30', NULL, NULL);
      INSERT INTO plan_sen_need (id, plan_id, sen_type, rank) VALUES
        ('${id(51)}', '${E1}', 'ASD', 1), ('${id(52)}', '${E2}', 'SEMH', 1), ('${id(53)}', '${E3}', 'ASD', 1), ('${id(54)}', '${E5}', 'MLD', 1);
      INSERT INTO annual_review (id, plan_id, due_date, meeting_date, outcome, decision_date) VALUES
        ('${id(61)}', '${E4}', '2016-01-01', '2022-01-10', 'M', '2022-02-07'),
        ('${id(62)}', '${E1}', '2024-05-22', '2024-05-01', 'M', '2024-05-30'),
        ('${id(63)}', '${E3}', '2024-06-22', '2024-06-01', 'A', '2024-06-20');
      INSERT INTO worker_allocation (id, child_id, team_id, caseworker_id, start_date, end_date, decided_by, reason, next_review_date) VALUES
        ('${id(71)}', '${C1}', '${T1}', '${W1}', '2023-05-22', '2025-12-31', NULL, NULL, NULL),
        ('${id(72)}', '${C1}', '${T1}', NULL, '2026-01-01', NULL, 'Team manager', 'Plan working well', '2026-07-01'),
        ('${id(73)}', '${C2}', '${T1}', '${W1}', '2023-08-01', NULL, NULL, NULL, NULL),
        ('${id(74)}', '${C4}', '${T1}', '${W1}', '2023-04-30', '2024-06-30', NULL, NULL, NULL);
    `);
  } finally {
    await client.end();
  }
}

export interface KnownCasework {
  dbs: TestDatabases;
  issuer: TestIssuer;
  subgraph: RunningSubgraph;
  /** The owner's connection, for writing by hand as any other writer would. */
  owner: pg.Client;
  stop(): Promise<void>;
}

/** The casework subgraph alone over fresh databases holding the known records, with a test issuer and an owner connection. */
export async function startKnownCasework(): Promise<KnownCasework> {
  const dbs = await createTestDatabases([casework]);
  await loadKnownCasework(dbs.logins.casework.ownerUrl);
  const issuer = await createTestIssuer();
  const subgraph = await startSubgraph(casework, { port: 0, host: '127.0.0.1', databaseUrl: dbs.logins.casework.appUrl, auth: issuer.config });
  const owner = new pg.Client({ connectionString: dbs.logins.casework.ownerUrl });
  await owner.connect();
  return {
    dbs,
    issuer,
    subgraph,
    owner,
    async stop() {
      await owner.end();
      await subgraph.stop();
      await dbs.drop();
    },
  };
}
