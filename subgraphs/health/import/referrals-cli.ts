import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/postgresql';
import { failureMessage, openCliDatabase } from '../../toolkit/cli';
import { health } from '../index';
import type { Pathway } from '../entities/enums';
import { REFERRAL_COLUMNS, ReferralValidator, writeReferrals } from './referrals';
import { EXIT, runImport, type ImportIo, type ImportSpec } from './run';

export const referralsImport: ImportSpec<ReferralValidator> = {
  command: 'import:referrals',
  noun: 'referrals',
  columns: REFERRAL_COLUMNS,
  validator: async (em: EntityManager, today: string) => {
    const services = await em.getConnection().execute<Array<{ code: string; pathway: Pathway }>>('SELECT code, pathway FROM health_service');
    return new ReferralValidator(new Map(services.map((s) => [s.code, s.pathway])), today);
  },
  write: async (tx, record, v, secret, progress) => {
    const summary = await writeReferrals(tx, record, v.records, v.newServices, secret, progress);
    const notes = summary.servicesRegistered.length
      ? [`Registered ${summary.servicesRegistered.length} service code(s) not held before: ${summary.servicesRegistered.map((c) => `${c} (${v.newServices.get(c)})`).join(', ')}. Give them a name and provider in health_service.`]
      : [];
    return { ...summary, notes };
  },
};

/** `npm run import:referrals -- <file.csv> [--skip-invalid] [--user <name>]` */
export function main(argv: readonly string[], io: Partial<ImportIo> = {}): Promise<number> {
  return runImport(referralsImport, argv, { open: () => openCliDatabase(health), out: (l) => console.log(l), err: (l) => console.error(l), ...io });
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`import:referrals failed; nothing was imported: ${failureMessage(err)}.`);
      process.exit(EXIT.REFUSED);
    },
  );
}
