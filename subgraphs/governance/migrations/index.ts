import { toolkitMigrations } from '../../toolkit/migrations/Migration20261122000000_toolkit';
import { Migration20261122000300_governance } from './Migration20261122000300_governance';

/** In order; names are recorded in mikro_orm_migrations, so never rename one that has shipped. */
export const migrations = [
  ...toolkitMigrations,
  { name: 'Migration20261122000300_governance', class: Migration20261122000300_governance },
];
