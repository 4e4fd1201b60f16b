import { Migration } from '@mikro-orm/migrations';

/**
 * The provider's cohort id (cohort_id in a SPACE file): what `npm run import:space`
 * matches a re-import on. Null for cohorts that did not come from a file (the seed).
 */
export class Migration20261206000200_space_source_id extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      ALTER TABLE space_cohort ADD COLUMN source_id varchar(64) NULL;
      ALTER TABLE space_cohort ADD CONSTRAINT space_cohort_source_id_unique UNIQUE (source_id);
    `);
  }
}
