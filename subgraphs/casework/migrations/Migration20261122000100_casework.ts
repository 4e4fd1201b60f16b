import { Migration } from '@mikro-orm/migrations';
import { MEASURE_FACTS_SQL } from '../measures/facts';

/** The council's casework: children, requests, assessments, EHC plans, annual reviews, teams and allocated workers. */
export class Migration20261122000100_casework extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE team (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        name varchar(255) NOT NULL,
        kind varchar(32) NOT NULL,
        CONSTRAINT team_name_unique UNIQUE (name)
      );
      CREATE TABLE caseworker (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        name varchar(255) NOT NULL,
        team_id uuid NOT NULL CONSTRAINT caseworker_team_id_foreign REFERENCES team (id) ON UPDATE CASCADE
      );
      CREATE INDEX caseworker_team_id_index ON caseworker (team_id);

      CREATE TABLE child (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        link_key varchar(255) NULL,
        nhs_number varchar(10) NULL,
        upn varchar(13) NULL,
        uln varchar(10) NULL,
        forename varchar(255) NOT NULL,
        surname varchar(255) NOT NULL,
        birth_date date NOT NULL,
        sex varchar(1) NOT NULL,
        ethnicity varchar(4) NULL,
        postcode varchar(255) NULL,
        district varchar(255) NULL,
        primary_need varchar(4) NULL,
        team_id uuid NULL CONSTRAINT child_team_id_foreign REFERENCES team (id) ON UPDATE CASCADE ON DELETE SET NULL,
        CONSTRAINT child_link_key_unique UNIQUE (link_key),
        CONSTRAINT child_nhs_number_unique UNIQUE (nhs_number)
      );
      CREATE INDEX child_upn_index ON child (upn);
      CREATE INDEX child_uln_index ON child (uln);
      CREATE INDEX child_district_index ON child (district);
      CREATE INDEX child_primary_need_index ON child (primary_need);
      CREATE INDEX child_team_id_index ON child (team_id);

      CREATE TABLE worker_allocation (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        child_id uuid NOT NULL CONSTRAINT worker_allocation_child_id_foreign REFERENCES child (id) ON UPDATE CASCADE,
        team_id uuid NULL CONSTRAINT worker_allocation_team_id_foreign REFERENCES team (id) ON UPDATE CASCADE ON DELETE SET NULL,
        caseworker_id uuid NULL CONSTRAINT worker_allocation_caseworker_id_foreign REFERENCES caseworker (id) ON UPDATE CASCADE ON DELETE SET NULL,
        start_date date NOT NULL,
        end_date date NULL,
        decided_by varchar(255) NULL,
        reason text NULL,
        next_review_date date NULL
      );
      CREATE INDEX worker_allocation_child_id_index ON worker_allocation (child_id);
      CREATE INDEX worker_allocation_team_id_index ON worker_allocation (team_id);
      CREATE INDEX worker_allocation_caseworker_id_index ON worker_allocation (caseworker_id);

      CREATE TABLE ehcna_request (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        child_id uuid NOT NULL CONSTRAINT ehcna_request_child_id_foreign REFERENCES child (id) ON UPDATE CASCADE,
        received_date date NOT NULL,
        source varchar(16) NULL,
        outcome varchar(1) NOT NULL,
        outcome_date date NULL,
        mediation boolean NOT NULL DEFAULT false,
        tribunal boolean NOT NULL DEFAULT false
      );
      CREATE INDEX ehcna_request_child_id_index ON ehcna_request (child_id);
      CREATE INDEX ehcna_request_received_date_index ON ehcna_request (received_date);
      CREATE INDEX ehcna_request_outcome_date_index ON ehcna_request (outcome_date);

      CREATE TABLE ehc_needs_assessment (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        request_id uuid NOT NULL CONSTRAINT ehc_needs_assessment_request_id_foreign REFERENCES ehcna_request (id) ON UPDATE CASCADE,
        child_id uuid NOT NULL CONSTRAINT ehc_needs_assessment_child_id_foreign REFERENCES child (id) ON UPDATE CASCADE,
        outcome varchar(1) NOT NULL,
        outcome_date date NULL,
        draft_plan_date date NULL,
        week20exception boolean NOT NULL DEFAULT false,
        exception_reason varchar(1) NULL,
        mediation boolean NOT NULL DEFAULT false,
        tribunal boolean NOT NULL DEFAULT false,
        ep_advice_asked_date date NULL,
        ep_advice_returned_date date NULL,
        health_advice_asked_date date NULL,
        health_advice_returned_date date NULL,
        social_care_advice_asked_date date NULL,
        social_care_advice_returned_date date NULL,
        CONSTRAINT ehc_needs_assessment_request_id_unique UNIQUE (request_id)
      );
      CREATE INDEX ehc_needs_assessment_child_id_index ON ehc_needs_assessment (child_id);
      CREATE INDEX ehc_needs_assessment_ep_advice_returned_date_index ON ehc_needs_assessment (ep_advice_returned_date);

      CREATE TABLE ehc_plan (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        child_id uuid NOT NULL CONSTRAINT ehc_plan_child_id_foreign REFERENCES child (id) ON UPDATE CASCADE,
        assessment_id uuid NULL CONSTRAINT ehc_plan_assessment_id_foreign REFERENCES ehc_needs_assessment (id) ON UPDATE CASCADE ON DELETE SET NULL,
        issue_date date NOT NULL,
        personal_budget boolean NOT NULL DEFAULT false,
        cease_date date NULL,
        cease_reason varchar(1) NULL,
        CONSTRAINT ehc_plan_assessment_id_unique UNIQUE (assessment_id)
      );
      CREATE INDEX ehc_plan_child_id_index ON ehc_plan (child_id);
      CREATE INDEX ehc_plan_issue_date_index ON ehc_plan (issue_date);

      CREATE TABLE plan_placement (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        plan_id uuid NOT NULL CONSTRAINT plan_placement_plan_id_foreign REFERENCES ehc_plan (id) ON UPDATE CASCADE,
        rank smallint NOT NULL,
        urn varchar(6) NULL,
        ukprn varchar(8) NULL,
        sen_setting varchar(4) NULL,
        sen_unit boolean NOT NULL DEFAULT false,
        resourced_provision boolean NOT NULL DEFAULT false
      );
      CREATE INDEX plan_placement_plan_id_index ON plan_placement (plan_id);

      CREATE TABLE plan_sen_need (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        plan_id uuid NOT NULL CONSTRAINT plan_sen_need_plan_id_foreign REFERENCES ehc_plan (id) ON UPDATE CASCADE,
        sen_type varchar(4) NOT NULL,
        rank smallint NOT NULL
      );
      CREATE INDEX plan_sen_need_plan_id_index ON plan_sen_need (plan_id);

      CREATE TABLE annual_review (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        plan_id uuid NOT NULL CONSTRAINT annual_review_plan_id_foreign REFERENCES ehc_plan (id) ON UPDATE CASCADE,
        due_date date NOT NULL,
        meeting_date date NULL,
        outcome varchar(1) NULL,
        decision_date date NULL
      );
      CREATE INDEX annual_review_plan_id_index ON annual_review (plan_id);
      CREATE INDEX annual_review_decision_date_index ON annual_review (decision_date);
    `);
    // Derived, not entities: each measure's monthly figures, kept in step by triggers (measures/facts.ts).
    this.addSql(MEASURE_FACTS_SQL);
  }
}
