import 'reflect-metadata';
import { failureMessage, openCliDatabase } from '../../toolkit/cli';
import { health } from '../index';
import { HEALTH_ADVICE_COLUMNS, HealthAdviceValidator, writeHealthAdvice } from './health-advice';
import { EXIT, runImport, type ImportIo, type ImportSpec } from './run';

export const healthAdviceImport: ImportSpec<HealthAdviceValidator> = {
  command: 'import:health-advice',
  noun: 'health advice requests',
  columns: HEALTH_ADVICE_COLUMNS,
  validator: async (_em, today) => new HealthAdviceValidator(today),
  write: (tx, record, v, secret, progress) => writeHealthAdvice(tx, record, v.records, secret, progress),
};

/** `npm run import:health-advice -- <file.csv> [--skip-invalid] [--user <name>]` */
export function main(argv: readonly string[], io: Partial<ImportIo> = {}): Promise<number> {
  return runImport(healthAdviceImport, argv, { open: () => openCliDatabase(health), out: (l) => console.log(l), err: (l) => console.error(l), ...io });
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`import:health-advice failed; nothing was imported: ${failureMessage(err)}.`);
      process.exit(EXIT.REFUSED);
    },
  );
}
