import { Migration } from '@mikro-orm/migrations';

/** The partnership's governance data: bodies and meetings, the Priority Action Plan, KPIs (targets only: values stay with their owners), oversight, family voice and DfE's published comparators. */
export class Migration20261122000300_governance extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table "family_feedback" ("id" uuid not null default gen_random_uuid(), "source" text check ("source" in ('SURVEY', 'SESSION', 'PARENT_CARER_FORUM', 'YOUNG_PEOPLES_GROUP')) not null, "theme" varchar(255) not null, "received_on" date not null, "you_said" text not null, "we_did" text null, "responded_on" date null, "published" boolean not null default true, constraint "family_feedback_pkey" primary key ("id"));
      create index "family_feedback_theme_index" on "family_feedback" ("theme");

      create table "governance_body" ("id" uuid not null default gen_random_uuid(), "code" varchar(16) not null, "name" varchar(255) not null, "cadence" varchar(255) not null, "chair" varchar(255) null, "purpose" text not null, "starts_on" date not null, "ends_on" date null, "published" boolean not null default true, constraint "governance_body_pkey" primary key ("id"));
      alter table "governance_body" add constraint "governance_body_code_unique" unique ("code");

      create table "kpi" ("id" uuid not null default gen_random_uuid(), "name" varchar(255) not null, "measure_code" varchar(64) not null, "owner_organisation" text check ("owner_organisation" in ('LA', 'ICB', 'JOINT')) not null, "interval" text check ("interval" in ('MONTH', 'QUARTER', 'YEAR', 'FINANCIAL_YEAR')) not null, "baseline" double precision null, "baseline_period" varchar(255) null, "target" double precision null, "target_date" date null, "direction" text check ("direction" in ('HIGHER_IS_BETTER', 'LOWER_IS_BETTER')) not null, "amber_tolerance" double precision not null, "trajectory" jsonb not null, "statistical_neighbours" jsonb not null, "published" boolean not null default true, constraint "kpi_pkey" primary key ("id"));
      alter table "kpi" add constraint "kpi_measure_code_unique" unique ("measure_code");

      create table "meeting" ("id" uuid not null default gen_random_uuid(), "body_id" uuid not null, "held_on" date not null, "title" varchar(255) not null, "focus_topics" jsonb not null, "attendance" jsonb not null, "discussion" jsonb not null, "decisions" jsonb not null, "actions_arising" jsonb not null, "published" boolean not null default false, constraint "meeting_pkey" primary key ("id"));
      create index "meeting_body_id_index" on "meeting" ("body_id");
      create index "meeting_held_on_index" on "meeting" ("held_on");

      create table "pap_area" ("id" uuid not null default gen_random_uuid(), "reference" varchar(16) not null, "title" varchar(255) not null, "description" text not null, "published" boolean not null default true, constraint "pap_area_pkey" primary key ("id"));
      alter table "pap_area" add constraint "pap_area_reference_unique" unique ("reference");

      create table "priority_action" ("id" uuid not null default gen_random_uuid(), "area_id" uuid not null, "reference" varchar(16) not null, "title" text not null, "owner_organisation" text check ("owner_organisation" in ('LA', 'ICB', 'JOINT')) not null, "lead_role" varchar(255) not null, "started_on" date not null, "override_status" varchar(16) null, "override_reason" text null, "override_expires_on" date null, "published" boolean not null default true, constraint "priority_action_pkey" primary key ("id"));
      create index "priority_action_area_id_index" on "priority_action" ("area_id");
      alter table "priority_action" add constraint "priority_action_reference_unique" unique ("reference");

      create table "milestone" ("id" uuid not null default gen_random_uuid(), "action_id" uuid not null, "title" text not null, "due_on" date not null, "completed_on" date null, constraint "milestone_pkey" primary key ("id"));
      create index "milestone_action_id_index" on "milestone" ("action_id");

      create table "escalation" ("id" uuid not null default gen_random_uuid(), "raised_by" varchar(255) not null, "raised_by_organisation" text check ("raised_by_organisation" in ('LA', 'ICB', 'JOINT')) not null, "body_id" uuid not null, "action_id" uuid null, "issue" text not null, "raised_on" date not null, "response_due_on" date not null, "response" text null, "responded_on" date null, "status" text check ("status" in ('OPEN', 'RESPONDED', 'CLOSED')) not null, "published" boolean not null default false, constraint "escalation_pkey" primary key ("id"));

      create table "priority_action_kpi" ("id" uuid not null default gen_random_uuid(), "action_id" uuid not null, "kpi_id" uuid not null, constraint "priority_action_kpi_pkey" primary key ("id"));
      create index "priority_action_kpi_action_id_index" on "priority_action_kpi" ("action_id");
      create index "priority_action_kpi_kpi_id_index" on "priority_action_kpi" ("kpi_id");
      alter table "priority_action_kpi" add constraint "priority_action_kpi_action_id_kpi_id_unique" unique ("action_id", "kpi_id");

      create table "progress_update" ("id" uuid not null default gen_random_uuid(), "action_id" uuid not null, "recorded_on" date not null, "current_position" text not null, "next_steps" text not null, "recorded_by" varchar(255) not null, constraint "progress_update_pkey" primary key ("id"));
      create index "progress_update_action_id_index" on "progress_update" ("action_id");

      create table "published_comparator" ("id" uuid not null default gen_random_uuid(), "measure_code" varchar(64) not null, "year" int not null, "time_period" varchar(8) not null, "geographic_level" text check ("geographic_level" in ('NATIONAL', 'REGIONAL', 'LOCAL_AUTHORITY')) not null, "area_code" varchar(9) not null, "old_la_code" varchar(3) null, "area_name" varchar(255) not null, "region_code" varchar(9) null, "value" double precision null, "numerator" double precision null, "denominator" double precision null, "marker" varchar(8) null, "source_file" varchar(255) not null, constraint "published_comparator_pkey" primary key ("id"));
      alter table "published_comparator" add constraint "published_comparator_measure_code_year_area_code_unique" unique ("measure_code", "year", "area_code");

      create table "review" ("id" uuid not null default gen_random_uuid(), "kind" text check ("kind" in ('STOCKTAKE', 'DEEP_DIVE')) not null, "held_on" date not null, "conducted_by" varchar(255) not null, "title" varchar(255) not null, "published" boolean not null default true, constraint "review_pkey" primary key ("id"));

      create table "review_finding" ("id" uuid not null default gen_random_uuid(), "review_id" uuid not null, "kind" text check ("kind" in ('STRENGTH', 'IMPROVEMENT_NEEDED')) not null, "text" text not null, "linked_action_references" jsonb not null, "position" int not null, constraint "review_finding_pkey" primary key ("id"));
      create index "review_finding_review_id_index" on "review_finding" ("review_id");

      alter table "meeting" add constraint "meeting_body_id_foreign" foreign key ("body_id") references "governance_body" ("id") on update cascade;

      alter table "priority_action" add constraint "priority_action_area_id_foreign" foreign key ("area_id") references "pap_area" ("id") on update cascade;

      alter table "milestone" add constraint "milestone_action_id_foreign" foreign key ("action_id") references "priority_action" ("id") on update cascade;

      alter table "escalation" add constraint "escalation_body_id_foreign" foreign key ("body_id") references "governance_body" ("id") on update cascade;
      alter table "escalation" add constraint "escalation_action_id_foreign" foreign key ("action_id") references "priority_action" ("id") on update cascade on delete set null;

      alter table "priority_action_kpi" add constraint "priority_action_kpi_action_id_foreign" foreign key ("action_id") references "priority_action" ("id") on update cascade;
      alter table "priority_action_kpi" add constraint "priority_action_kpi_kpi_id_foreign" foreign key ("kpi_id") references "kpi" ("id") on update cascade;

      alter table "progress_update" add constraint "progress_update_action_id_foreign" foreign key ("action_id") references "priority_action" ("id") on update cascade;

      alter table "review_finding" add constraint "review_finding_review_id_foreign" foreign key ("review_id") references "review" ("id") on update cascade;
    `);
  }
}
