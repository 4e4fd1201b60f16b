import { Migration } from '@mikro-orm/migrations';

/**
 * A published figure records the DfE release it came from (2025 for the
 * "Education, health and care plans" release of June 2025), so a later release
 * replaces an earlier one's figures and an earlier one can never overwrite a
 * later one. Figures imported before releases were recorded have none and are
 * replaced by any release.
 */
export class Migration20261206000400_published_release extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table "published_comparator" add column "release" integer null;
      create index "published_comparator_measure_code_release_index" on "published_comparator" ("measure_code", "release");
    `);
  }
}
