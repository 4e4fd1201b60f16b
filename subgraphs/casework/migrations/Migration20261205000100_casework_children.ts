import { Migration } from '@mikro-orm/migrations';

/**
 * What a caseworker's whole job needs beyond the statutory steps: a record of
 * every merge of two records of the same child (the merged record is removed, so
 * it is named by id), and, on a plan, the date the family agreed to its being
 * issued before their 15 days to comment on the draft ran out (reg 13(1)).
 */
export class Migration20261205000100_casework_children extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE child_merge (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        kept_child_id uuid NOT NULL,
        merged_child_id uuid NOT NULL,
        merged_by varchar(255) NOT NULL,
        reason text NOT NULL,
        merged_date date NOT NULL,
        CONSTRAINT child_merge_pkey PRIMARY KEY (id),
        CONSTRAINT child_merge_merged_child_id_unique UNIQUE (merged_child_id)
      );
      CREATE INDEX child_merge_kept_child_id_index ON child_merge (kept_child_id);
      ALTER TABLE ehc_plan ADD COLUMN family_agreed_early_date date NULL;
    `);
  }
}
