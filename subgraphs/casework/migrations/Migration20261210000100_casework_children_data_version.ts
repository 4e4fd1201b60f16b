import { Migration } from '@mikro-orm/migrations';

/** The tables the children list's filters read (resolvers/child.resolver.ts's childFilterSql). */
export const CHILDREN_LIST_TABLES = ['child', 'ehc_plan', 'worker_allocation', 'annual_review'] as const;

/**
 * The children list's total is filed under casework's data version
 * (toolkit/stored-reads.ts), so every transaction that writes a table the
 * list's filters read adds one to the version too, by the same note the
 * measures' facts take (Migration20261207000400_casework_data_version): once
 * per transaction, at commit. Statement triggers, so an import of a whole
 * return notes once, not once per row.
 */
export class Migration20261210000100_casework_children_data_version extends Migration {
  override async up(): Promise<void> {
    for (const table of CHILDREN_LIST_TABLES) {
      this.addSql(`CREATE TRIGGER ${table}_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
    FOR EACH STATEMENT EXECUTE FUNCTION casework_data_version_note();`);
    }
  }
}
