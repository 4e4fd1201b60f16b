import { toolkitMigrations } from '../../toolkit/migrations/Migration20261122000000_toolkit';
import { auditChainMigration } from '../../toolkit/migrations/Migration20261123000000_audit_chain';
import { Migration20261122000200_health } from './Migration20261122000200_health';

/** In order; names are recorded in mikro_orm_migrations, so never rename one that has shipped. */
export const migrations = [
  ...toolkitMigrations,
  { name: 'Migration20261122000200_health', class: Migration20261122000200_health },
  auditChainMigration,
];
