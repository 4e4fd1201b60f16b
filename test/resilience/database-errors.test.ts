import { GraphQLError } from 'graphql';
import { describeDatabaseError, maskUnexpectedErrors } from '../../platform/errors';

/**
 * A database error is answered without its text and logged without it too: a
 * driver's message begins with the SQL it ran, values included, and PostgreSQL's
 * can quote the value that broke a rule. A database that is down, starting or
 * stopping is DATABASE_UNAVAILABLE, a reason to try again, not a fault of the request.
 */
function driverException(sql: string, pgMessage: string, code: string): Error {
  // As MikroORM wraps a pg error: the SQL, then PostgreSQL's message; the code copied over.
  return Object.assign(new Error(`${sql} - ${pgMessage}`), { name: 'DriverException', code, severity: 'FATAL' });
}
const asResolverError = (original: Error) => new GraphQLError(original.message, { originalError: original, path: ['children'] });

describe('database errors, answered and logged', () => {
  const sql = `select "c0".* from "child" as "c0" where "c0"."surname" = 'Yarrowby' and "c0"."birth_date" = '2012-04-23'`;

  it.each([
    ['shutting down', 'terminating connection due to administrator command', '57P01'],
    ['starting up', 'the database system is starting up', '57P03'],
    ['refusing connections', 'connect ECONNREFUSED 127.0.0.1:5434', 'ECONNREFUSED'],
    ['out of connections', 'sorry, too many clients already', '53300'],
  ])('a database %s is DATABASE_UNAVAILABLE, in production and out, and the log names its SQLSTATE, not its SQL', (_what, pgMessage, code) => {
    for (const production of [true, false]) {
      const logged: string[] = [];
      const err = driverException(sql, pgMessage, code);
      const out = maskUnexpectedErrors(production, (m, e) => void logged.push(`${m} ${String(e)}`))({ message: err.message, path: ['children'] }, asResolverError(err));
      expect(out).toEqual({ message: 'The database behind this service is not answering: try again shortly.', path: ['children'], locations: undefined, extensions: { code: 'DATABASE_UNAVAILABLE' } });
      expect(logged.join('\n')).toContain(code);
      expect(logged.join('\n')).not.toMatch(/Yarrowby|2012-04-23|select|child/);
    }
  });

  it('a connection lost mid-query, a plain Error whose message begins with the SQL, is DATABASE_UNAVAILABLE and logged without the SQL', () => {
    const logged: string[] = [];
    const err = new Error(`${sql} - Connection terminated unexpectedly`);
    const out = maskUnexpectedErrors(false, (m, e) => void logged.push(`${m} ${String(e)}`))({ message: err.message }, asResolverError(err));
    expect(out.extensions).toEqual({ code: 'DATABASE_UNAVAILABLE' });
    expect(out.message).not.toContain('select');
    expect(logged.join('\n')).not.toMatch(/Yarrowby|select/);
  });

  it('any other database error is INTERNAL_SERVER_ERROR, logged by class and SQLSTATE without its text', () => {
    const logged: string[] = [];
    const err = Object.assign(new Error(`insert into "child" ("nhs_number") values ('9434765919') - duplicate key value violates unique constraint "child_nhs_number_unique"`), { name: 'UniqueConstraintViolationException', code: '23505', severity: 'ERROR', detail: 'Key (nhs_number)=(9434765919) already exists.' });
    const out = maskUnexpectedErrors(true, (m, e) => void logged.push(`${m} ${String(e)}`))({ message: err.message }, asResolverError(err));
    expect(out.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(logged).toEqual(['unexpected error: UniqueConstraintViolationException (SQLSTATE 23505)']);
    expect(describeDatabaseError(driverException(sql, 'x', '57P01'))).toBe('DriverException (SQLSTATE 57P01): the database is not answering');
  });
});
