import { Migration } from '@mikro-orm/migrations';

export class Migration20261122000100_casework extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
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
        CONSTRAINT child_link_key_unique UNIQUE (link_key)
      );
      CREATE TABLE ehc_plan (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        child_id uuid NOT NULL CONSTRAINT ehc_plan_child_id_foreign REFERENCES child (id) ON UPDATE CASCADE,
        issue_date date NOT NULL,
        cease_date date NULL
      );
      CREATE INDEX ehc_plan_child_id_index ON ehc_plan (child_id);
    `);
  }
}
