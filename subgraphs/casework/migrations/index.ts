import { toolkitMigrations } from '../../toolkit/migrations/Migration20261122000000_toolkit';
import { auditChainMigration } from '../../toolkit/migrations/Migration20261123000000_audit_chain';
import { auditReadRecordsMigration } from '../../toolkit/migrations/Migration20261207000200_audit_read_records';
import { auditRecordIdsUncompressedMigration } from '../../toolkit/migrations/Migration20261212000100_audit_record_ids_uncompressed';
import { Migration20261122000100_casework } from './Migration20261122000100_casework';
import { Migration20261124000100_casework_unique_writes } from './Migration20261124000100_casework_unique_writes';
import { Migration20261205000100_casework_children } from './Migration20261205000100_casework_children';
import { Migration20261206000300_child_match_indexes } from './Migration20261206000300_child_match_indexes';
import { Migration20261207000400_casework_data_version } from './Migration20261207000400_casework_data_version';
import { Migration20261208000200_casework_measure_month_area } from './Migration20261208000200_casework_measure_month_area';
import { Migration20261208000300_casework_fact_diff_refresh } from './Migration20261208000300_casework_fact_diff_refresh';
import { Migration20261208000400_child_name_order_index } from './Migration20261208000400_child_name_order_index';
import { Migration20261209000100_casework_fact_rebuild_bulk_key } from './Migration20261209000100_casework_fact_rebuild_bulk_key';
import { Migration20261210000100_casework_table_versions } from './Migration20261210000100_casework_table_versions';
import { Migration20261211000100_casework_covered_indexes } from './Migration20261211000100_casework_covered_indexes';
import { Migration20261211000200_child_upn_normal_form } from './Migration20261211000200_child_upn_normal_form';
import { Migration20261211000300_casework_fact_rebuild_truncate } from './Migration20261211000300_casework_fact_rebuild_truncate';
import { Migration20261212000200_casework_planner_statistics } from './Migration20261212000200_casework_planner_statistics';
import { Migration20261213000100_casework_fact_branch_sums } from './Migration20261213000100_casework_fact_branch_sums';
import { Migration20261214000100_casework_first_load } from './Migration20261214000100_casework_first_load';
import { Migration20261215000100_casework_fact_rebuild_parallel } from './Migration20261215000100_casework_fact_rebuild_parallel';

/** In order; names are recorded in mikro_orm_migrations, so never rename one that has shipped. */
export const migrations = [
  ...toolkitMigrations,
  { name: 'Migration20261122000100_casework', class: Migration20261122000100_casework },
  { name: 'Migration20261124000100_casework_unique_writes', class: Migration20261124000100_casework_unique_writes },
  auditChainMigration,
  { name: 'Migration20261205000100_casework_children', class: Migration20261205000100_casework_children },
  { name: 'Migration20261206000300_child_match_indexes', class: Migration20261206000300_child_match_indexes },
  auditReadRecordsMigration,
  { name: 'Migration20261207000400_casework_data_version', class: Migration20261207000400_casework_data_version },
  { name: 'Migration20261208000200_casework_measure_month_area', class: Migration20261208000200_casework_measure_month_area },
  { name: 'Migration20261208000300_casework_fact_diff_refresh', class: Migration20261208000300_casework_fact_diff_refresh },
  { name: 'Migration20261208000400_child_name_order_index', class: Migration20261208000400_child_name_order_index },
  { name: 'Migration20261209000100_casework_fact_rebuild_bulk_key', class: Migration20261209000100_casework_fact_rebuild_bulk_key },
  { name: 'Migration20261210000100_casework_table_versions', class: Migration20261210000100_casework_table_versions },
  { name: 'Migration20261211000100_casework_covered_indexes', class: Migration20261211000100_casework_covered_indexes },
  { name: 'Migration20261211000200_child_upn_normal_form', class: Migration20261211000200_child_upn_normal_form },
  { name: 'Migration20261211000300_casework_fact_rebuild_truncate', class: Migration20261211000300_casework_fact_rebuild_truncate },
  auditRecordIdsUncompressedMigration,
  { name: 'Migration20261212000200_casework_planner_statistics', class: Migration20261212000200_casework_planner_statistics },
  { name: 'Migration20261213000100_casework_fact_branch_sums', class: Migration20261213000100_casework_fact_branch_sums },
  { name: 'Migration20261214000100_casework_first_load', class: Migration20261214000100_casework_first_load },
  { name: 'Migration20261215000100_casework_fact_rebuild_parallel', class: Migration20261215000100_casework_fact_rebuild_parallel },
];
