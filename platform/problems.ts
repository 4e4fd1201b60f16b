import { GraphQLError } from 'graphql';

/**
 * The errors a caller can put right: bad input, and a conflict with a record that
 * already exists. Every subgraph builds them here, so a client reads one shape:
 * `extensions.code`, and for bad input `extensions.problems: [{ field, message }]`
 * (with `extensions.field`, the first problem's field).
 */

/** One thing wrong with the input: the field (a path such as `input.receivedDate`) and what is wrong. */
export interface Problem {
  field: string;
  message: string;
}

/** BAD_USER_INPUT naming every field at fault. Messages never quote personal data. */
export function badUserInput(problems: readonly Problem[]): GraphQLError {
  if (problems.length === 0) throw new Error('badUserInput needs at least one problem.');
  return new GraphQLError(problems.map((p) => p.message).join(' '), {
    extensions: { code: 'BAD_USER_INPUT', field: problems[0].field, problems: problems.map((p) => ({ field: p.field, message: p.message })) },
  });
}

/** Problems gathered while checking an input; throws them all at once. */
export class Problems {
  readonly list: Problem[] = [];

  add(field: string, message: string): this {
    this.list.push({ field, message });
    return this;
  }

  get any(): boolean {
    return this.list.length > 0;
  }

  throwIfAny(): void {
    if (this.list.length) throw badUserInput(this.list);
  }
}

/** The record a conflicting write ran into. */
export interface ExistingRecord {
  type: string;
  id: string;
}

/**
 * CONFLICT: the write would duplicate a record that exists (often one written a
 * moment earlier by the same person pressing twice). Names the existing record so
 * the caller can carry on with it.
 */
export function conflict(message: string, existing?: ExistingRecord): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'CONFLICT', ...(existing ? { existing } : {}) } });
}
