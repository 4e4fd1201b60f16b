import { toolkitMigrations } from '../../toolkit/migrations/Migration20261122000000_toolkit';
import { auditChainMigration } from '../../toolkit/migrations/Migration20261123000000_audit_chain';
import { auditReadRecordsMigration } from '../../toolkit/migrations/Migration20261207000200_audit_read_records';
import { auditRecordIdsUncompressedMigration } from '../../toolkit/migrations/Migration20261212000100_audit_record_ids_uncompressed';
import { Migration20261122000300_governance } from './Migration20261122000300_governance';
import { Migration20261123000300_governance_no_doubles } from './Migration20261123000300_governance_no_doubles';
import { Migration20261205000300_governance_action_due_date } from './Migration20261205000300_governance_action_due_date';
import { Migration20261205000400_governance_milestone_kpi } from './Migration20261205000400_governance_milestone_kpi';
import { Migration20261206000400_published_release } from './Migration20261206000400_published_release';
import { Migration20261208000100_governance_data_version } from './Migration20261208000100_governance_data_version';

/** In order; names are recorded in mikro_orm_migrations, so never rename one that has shipped. */
export const migrations = [
  ...toolkitMigrations,
  { name: 'Migration20261122000300_governance', class: Migration20261122000300_governance },
  { name: 'Migration20261123000300_governance_no_doubles', class: Migration20261123000300_governance_no_doubles },
  auditChainMigration,
  { name: 'Migration20261205000300_governance_action_due_date', class: Migration20261205000300_governance_action_due_date },
  { name: 'Migration20261205000400_governance_milestone_kpi', class: Migration20261205000400_governance_milestone_kpi },
  { name: 'Migration20261206000400_published_release', class: Migration20261206000400_published_release },
  auditReadRecordsMigration,
  { name: 'Migration20261208000100_governance_data_version', class: Migration20261208000100_governance_data_version },
  auditRecordIdsUncompressedMigration,
];
