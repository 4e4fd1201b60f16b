import { Migration } from '@mikro-orm/migrations';

/**
 * What a person could submit twice is guarded by the database, so two identical
 * submissions at once make one record and the other is answered CONFLICT: a meeting
 * per body and day, a progress update per action and date, a milestone per action,
 * due date and title, an escalation per body, day and issue, and a piece of family
 * feedback per source, theme, day and words. Free text enters the indexes as its
 * md5 digest, since a btree entry cannot hold a long text. An action's status
 * override may only be one of the statuses. If a database already holds doubles,
 * this migration stops at the first index and PostgreSQL's error names the key.
 */
export class Migration20261123000300_governance_no_doubles extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table "meeting" add constraint "meeting_body_id_held_on_unique" unique ("body_id", "held_on");

      alter table "progress_update" add constraint "progress_update_action_id_recorded_on_unique" unique ("action_id", "recorded_on");

      create unique index "milestone_action_id_due_on_title_unique" on "milestone" ("action_id", "due_on", md5("title"));

      create unique index "escalation_body_id_raised_on_issue_unique" on "escalation" ("body_id", "raised_on", md5("issue"));

      create unique index "family_feedback_source_theme_received_on_you_said_unique" on "family_feedback" ("source", "theme", "received_on", md5("you_said"));

      alter table "priority_action" alter column "override_status" type text using ("override_status"::text);
      alter table "priority_action" add constraint "priority_action_override_status_check" check ("override_status" in ('ON_TRACK', 'AT_RISK', 'OFF_TRACK', 'COMPLETE'));
    `);
  }
}
