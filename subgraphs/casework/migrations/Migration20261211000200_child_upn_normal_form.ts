import { Migration } from '@mikro-orm/migrations';

/**
 * A child's UPN is stored in its normal form (rules/identity.ts normaliseUpn:
 * trimmed, upper case), as the SEN2 import and the mutations already write it; the
 * check keeps any other writer to it. So the import finds a child by UPN on the
 * plain index (child_upn_index) and the index on upper(upn) that let it match any
 * case goes: one index entry fewer for every child written.
 */
export class Migration20261211000200_child_upn_normal_form extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      UPDATE child SET upn = upper(btrim(upn)) WHERE upn <> upper(btrim(upn));
      ALTER TABLE child ADD CONSTRAINT child_upn_normal_form_check CHECK (upn = upper(btrim(upn)));
      DROP INDEX child_upn_match_index;
    `);
  }
}
