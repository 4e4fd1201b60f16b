import { Migration } from '@mikro-orm/migrations';

/**
 * The SEN2 import finds the children a chunk may match by UPN in any case and by
 * surname + forename + birth date in any case (import/sen2-write/match.ts): indexes
 * on exactly those expressions, so each chunk looks its children up instead of
 * reading every child held (a cost that grew with the caseload, chunk after chunk).
 */
export class Migration20261206000300_child_match_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE INDEX child_upn_match_index ON child (upper(upn));
      CREATE INDEX child_name_match_index ON child (lower(surname), lower(forename), birth_date);
    `);
  }
}
