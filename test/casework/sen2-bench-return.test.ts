import { distinctChildren, sen2Return } from '../../bench/sen2-import';
import { importSen2 } from '../../subgraphs/casework/import/sen2-import';
import { matchKeyOf } from '../../subgraphs/casework/import/sen2-validate';
import { chunksOf } from '../../subgraphs/casework/import/sen2-xml';
import { syntheticPopulation } from '../../subgraphs/toolkit/synthetic/population';

const TODAY = '2026-12-05';

/** The SEN2 import benchmark's generator: distinct children at any size (issue 15 item 7). */
describe('the SEN2 benchmark return', () => {
  it('draws distinct children by every key the import matches on, past the size at which the population repeats', () => {
    const n = 30_000;
    // The population itself repeats names and birth dates at this size: the generator has something to avoid.
    const population = syntheticPopulation(n, TODAY);
    expect(new Set(population.map((p) => matchKeyOf({ ...p, upn: null, uln: null }))).size).toBeLessThan(n);
    const children = distinctChildren(n, TODAY);
    expect(children).toHaveLength(n);
    expect(new Set(children.map((p) => matchKeyOf({ ...p, upn: null, uln: null }))).size).toBe(n);
    expect(new Set(children.map((p) => matchKeyOf({ ...p, uln: null }))).size).toBe(n);
    expect(children.every((p) => p.birthDate < '2019-01-01')).toBe(true);
  });

  it('a return of 20,000 people passes the import\'s checks: no child named twice', async () => {
    const { xml, extract } = sen2Return(20_000, TODAY, false);
    const reached = new Error('validation passed');
    const result = await importSen2({
      // One chunk of the whole return: the database is asked for only once every person is read and checked.
      open: () => chunksOf(xml, 256 * 1024), caseExtract: extract, user: 'test', today: TODAY, chunk: 20_001,
      database: async () => {
        throw reached;
      },
    }).catch((err: unknown) => err);
    // Refused, it would resolve with its report; valid, it asks for the database.
    expect(result).toBe(reached);
  }, 120_000);
});
