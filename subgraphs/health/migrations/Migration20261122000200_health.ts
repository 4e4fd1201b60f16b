import { Migration } from '@mikro-orm/migrations';

export class Migration20261122000200_health extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE referral (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        link_key varchar(255) NOT NULL,
        pathway varchar(255) NOT NULL,
        received_date date NOT NULL,
        first_contact_date date NULL,
        discharge_date date NULL
      );
      CREATE INDEX referral_link_key_index ON referral (link_key);
    `);
  }
}
