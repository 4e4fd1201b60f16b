import { Field, ObjectType, type ClassType } from 'type-graphql';

/**
 * Every mutation returns `<Mutation>Payload`, an object holding what it wrote
 * (docs/api-conventions.md), so a payload can grow (a second record, a warning)
 * without breaking a client, which a bare return type could not.
 */
export function payloadType<T extends object>(mutation: string, field: string, Type: ClassType<T>, description: string): ClassType<Record<string, T>> {
  const name = `${mutation[0].toUpperCase()}${mutation.slice(1)}Payload`;

  @ObjectType(name, { description: `What ${mutation} wrote.` })
  class Payload {
    [key: string]: T;
  }
  Field(() => Type, { description })(Payload.prototype, field);
  return Payload as ClassType<Record<string, T>>;
}
