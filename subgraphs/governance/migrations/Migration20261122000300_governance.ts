import { Migration } from '@mikro-orm/migrations';

export class Migration20261122000300_governance extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE kpi (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        name varchar(255) NOT NULL,
        measure_code varchar(255) NOT NULL,
        owner_organisation varchar(8) NOT NULL,
        target double precision NULL
      );
      CREATE TABLE priority_action (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        reference varchar(255) NOT NULL,
        title text NOT NULL,
        owner_organisation varchar(8) NOT NULL,
        kpi_id uuid NULL CONSTRAINT priority_action_kpi_id_foreign REFERENCES kpi (id) ON UPDATE CASCADE ON DELETE SET NULL,
        CONSTRAINT priority_action_reference_unique UNIQUE (reference)
      );
    `);
  }
}
