import { toolkitMigrations } from '../../toolkit/migrations/Migration20261122000000_toolkit';
import { auditChainMigration } from '../../toolkit/migrations/Migration20261123000000_audit_chain';
import { auditReadRecordsMigration } from '../../toolkit/migrations/Migration20261207000200_audit_read_records';
import { auditRecordIdsUncompressedMigration } from '../../toolkit/migrations/Migration20261212000100_audit_record_ids_uncompressed';
import { Migration20261122000200_health } from './Migration20261122000200_health';
import { Migration20261205000200_health_measure_months } from './Migration20261205000200_health_measure_months';
import { Migration20261206000200_space_source_id } from './Migration20261206000200_space_source_id';
import { Migration20261207000401_health_data_version } from './Migration20261207000401_health_data_version';
import { Migration20261210000200_health_waiting_list_data_version } from './Migration20261210000200_health_waiting_list_data_version';

/** In order; names are recorded in mikro_orm_migrations, so never rename one that has shipped. */
export const migrations = [
  ...toolkitMigrations,
  { name: 'Migration20261122000200_health', class: Migration20261122000200_health },
  auditChainMigration,
  { name: 'Migration20261205000200_health_measure_months', class: Migration20261205000200_health_measure_months },
  { name: 'Migration20261206000200_space_source_id', class: Migration20261206000200_space_source_id },
  auditReadRecordsMigration,
  { name: 'Migration20261207000401_health_data_version', class: Migration20261207000401_health_data_version },
  { name: 'Migration20261210000200_health_waiting_list_data_version', class: Migration20261210000200_health_waiting_list_data_version },
  auditRecordIdsUncompressedMigration,
];
