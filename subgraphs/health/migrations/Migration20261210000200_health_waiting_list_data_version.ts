import { Migration } from '@mikro-orm/migrations';

/**
 * The waiting list on a date is filed under health's data version
 * (toolkit/stored-reads.ts), so every transaction that writes referrals, the
 * one table it reads, adds one to the version too, by the same note the
 * measures' tables take (Migration20261207000401_health_data_version): once per
 * transaction, at commit.
 */
export class Migration20261210000200_health_waiting_list_data_version extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TRIGGER referral_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON referral
    FOR EACH STATEMENT EXECUTE FUNCTION health_data_version_note();`);
  }
}
