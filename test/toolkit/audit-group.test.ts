import { groupReads } from '../../subgraphs/toolkit/audit-reads';

describe('a request\'s reads grouped into entries of the trail', () => {
  it('one entry per record type and field set, whatever order the fields were read in, ids and fields sorted', () => {
    const groups = groupReads([
      { entityType: 'Child', entityId: 'c2', fields: new Set(['surname', 'forename']) },
      { entityType: 'Child', entityId: 'c1', fields: new Set(['forename', 'surname']) },
      { entityType: 'Child', entityId: 'c3', fields: new Set(['surname', 'forename']) },
      { entityType: 'Child', entityId: 'c4', fields: new Set(['forename']) },
      { entityType: 'EhcPlan', entityId: 'p1', fields: new Set(['surname', 'forename']) },
    ]);
    expect(groups).toEqual([
      { entityType: 'Child', entityIds: ['c1', 'c2', 'c3'], fields: ['forename', 'surname'] },
      { entityType: 'Child', entityIds: ['c4'], fields: ['forename'] },
      { entityType: 'EhcPlan', entityIds: ['p1'], fields: ['forename', 'surname'] },
    ]);
  });

  it('takes a record\'s fields in the order read from `order` when it is given, as the request\'s recorder keeps it', () => {
    const read = (entityId: string, fields: string[]) => ({ entityType: 'Child', entityId, fields: new Set(fields), order: ['Child', ...fields].join('\u0000') });
    const plan = (entityId: string, fields: string[]) => ({ entityType: 'EhcPlan', entityId, fields: new Set(fields), order: ['EhcPlan', ...fields].join('\u0000') });
    const reads = [read('c2', ['surname', 'forename']), read('c1', ['forename', 'surname']), read('c3', ['forename']), plan('p1', ['surname', 'forename'])];
    const given = groupReads(reads);
    expect(given).toEqual(groupReads(reads.map(({ order: _, ...r }) => r)));
    // Records of two types read with the same fields in the same order stay apart; so do records of one type whose fields differ.
    expect(given).toEqual([
      { entityType: 'Child', entityIds: ['c1', 'c2'], fields: ['forename', 'surname'] },
      { entityType: 'Child', entityIds: ['c3'], fields: ['forename'] },
      { entityType: 'EhcPlan', entityIds: ['p1'], fields: ['forename', 'surname'] },
    ]);
  });
});
