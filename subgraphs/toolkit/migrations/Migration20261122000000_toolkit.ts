import { Migration } from '@mikro-orm/migrations';

/**
 * What every subgraph's database holds besides its own data: the append-only audit
 * trail of person-level reads and all writes. A trigger refuses UPDATE, DELETE and
 * TRUNCATE whoever asks, on top of the runtime login having no such privilege.
 */
export class Migration20261122000000_toolkit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE audit_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        user_id text NOT NULL,
        roles text[] NOT NULL,
        org text NOT NULL,
        operation_name text,
        request_id text,
        action text NOT NULL CHECK (action IN ('READ', 'WRITE')),
        entity_type text NOT NULL,
        entity_id text NOT NULL,
        fields text[] NOT NULL DEFAULT '{}'
      );
      CREATE INDEX audit_event_occurred_at_idx ON audit_event (occurred_at);
      CREATE INDEX audit_event_user_idx ON audit_event (user_id, occurred_at);
      CREATE INDEX audit_event_entity_idx ON audit_event (entity_type, entity_id);

      CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END;
      $$;
      CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
      CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
        FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
    `);
  }

  override async down(): Promise<void> {
    this.addSql('DROP TABLE audit_event; DROP FUNCTION audit_event_append_only();');
  }
}

export const toolkitMigrations = [{ name: 'Migration20261122000000_toolkit', class: Migration20261122000000_toolkit }];
