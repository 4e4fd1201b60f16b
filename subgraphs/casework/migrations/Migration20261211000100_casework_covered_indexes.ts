import { Migration } from '@mikro-orm/migrations';

/**
 * Three indexes that duplicated the lead of a unique key: a request's child
 * (ehcna_request (child_id, received_date)), a review's plan (annual_review
 * (plan_id, meeting_date)) and an allocation's child (worker_allocation
 * (child_id, start_date)). Each lookup by the one column is answered by the key's
 * index as well; the duplicates only cost every insert and update another index
 * entry (an import of 100,000 people wrote 225,000 of them) and the space.
 */
export class Migration20261211000100_casework_covered_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql('DROP INDEX ehcna_request_child_id_index;');
    this.addSql('DROP INDEX annual_review_plan_id_index;');
    this.addSql('DROP INDEX worker_allocation_child_id_index;');
  }
}
