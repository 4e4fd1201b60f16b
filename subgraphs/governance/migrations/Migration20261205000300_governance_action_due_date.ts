import { Migration } from '@mikro-orm/migrations';

/**
 * A meeting's actions arising are kept as JSON, keyed by the API's field names;
 * the API's date fields end in `Date` (docs/api-conventions.md), so an action's
 * `dueOn` is now `dueDate`. Rewrites the key in rows written before.
 */
export class Migration20261205000300_governance_action_due_date extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      update "meeting" set "actions_arising" = (
        select coalesce(jsonb_agg(case when jsonb_exists(a, 'dueOn') then (a - 'dueOn') || jsonb_build_object('dueDate', a -> 'dueOn') else a end order by n), '[]'::jsonb)
        from jsonb_array_elements("actions_arising") with ordinality as t(a, n)
      ) where exists (select 1 from jsonb_array_elements("actions_arising") e where jsonb_exists(e, 'dueOn'));
    `);
  }
}
