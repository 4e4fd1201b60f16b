import { Migration } from '@mikro-orm/migrations';

/**
 * The read audit's record ids stored out of line without trying to compress them.
 * A 50-child page's entries hold some 580 ids, so the larger arrays always leave
 * the row, and PostgreSQL tried pglz on each (the embedded server has no lz4):
 * text uuids never compressed enough for it to keep the result (at scale 120 all
 * 228,025 arrays were held uncompressed), yet trying took about 0.6 ms of the
 * 1.6 ms a page's append took. So nothing grows. Same ownership as the trail's
 * other migrations (see Migration20261207000200_audit_read_records).
 */
export class Migration20261212000100_audit_record_ids_uncompressed extends Migration {
  override async up(): Promise<void> {
    this.addSql('ALTER TABLE audit_event ALTER COLUMN record_ids SET STORAGE EXTERNAL;');
  }

  override async down(): Promise<void> {
    this.addSql('ALTER TABLE audit_event ALTER COLUMN record_ids SET STORAGE EXTENDED;');
  }
}

export const auditRecordIdsUncompressedMigration = { name: 'Migration20261212000100_audit_record_ids_uncompressed', class: Migration20261212000100_audit_record_ids_uncompressed };
