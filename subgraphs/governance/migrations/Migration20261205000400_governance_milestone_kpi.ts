import { Migration } from '@mikro-orm/migrations';

/**
 * A milestone may be tied to a KPI and a threshold in the KPI's unit, and is then
 * met by the KPI's readings (rules/milestones.ts): both or neither; the readings
 * that count are those of periods starting on or after measured_from (null: the
 * action's start).
 */
export class Migration20261205000400_governance_milestone_kpi extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table "milestone" add column "kpi_id" uuid null, add column "threshold" double precision null, add column "measured_from" date null;
      alter table "milestone" add constraint "milestone_kpi_id_foreign" foreign key ("kpi_id") references "kpi" ("id") on update cascade on delete set null;
      create index "milestone_kpi_id_index" on "milestone" ("kpi_id");
      alter table "milestone" add constraint "milestone_kpi_threshold_check" check (("kpi_id" is null) = ("threshold" is null));
    `);
  }
}
