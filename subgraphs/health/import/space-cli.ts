import 'reflect-metadata';
import { failureMessage, openCliDatabase } from '../../toolkit/cli';
import { health } from '../index';
import { EXIT, runImport, type ImportIo, type ImportSpec } from './run';
import { SPACE_COLUMNS, SpaceValidator } from './space';
import { writeSpace, type Counts } from './space-write';

const counted = (c: Counts) => `${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged`;

export const spaceImport: ImportSpec<SpaceValidator> = {
  command: 'import:space',
  noun: 'SPACE enrolments',
  columns: SPACE_COLUMNS,
  validator: async (em, today) => {
    const services = await em.getConnection().execute<Array<{ code: string; pathway: string }>>('SELECT code, pathway FROM health_service');
    return new SpaceValidator(new Map(services.map((s) => [s.code, s.pathway])), today);
  },
  write: async (tx, record, v, secret, progress) => {
    const summary = await writeSpace(tx, record, v.cohorts, v.records, secret, progress);
    return { ...summary.families, notes: [`SPACE cohorts: ${counted(summary.cohorts)}. Sessions attended or missed: ${counted(summary.sessions)}.`] };
  },
};

/** `npm run import:space -- <file.csv> [--skip-invalid] [--user <name>]` */
export function main(argv: readonly string[], io: Partial<ImportIo> = {}): Promise<number> {
  return runImport(spaceImport, argv, { open: () => openCliDatabase(health), out: (l) => console.log(l), err: (l) => console.error(l), ...io });
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`import:space failed; nothing was imported: ${failureMessage(err)}.`);
      process.exit(EXIT.REFUSED);
    },
  );
}
