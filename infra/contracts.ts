import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  isUnionType,
  Kind,
  parse,
  print,
  visit,
  type ConstDirectiveNode,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import type { ContractDeclaration } from './partner-contract';

/**
 * What a contract hides from the API schema. A contract is made the way GraphOS
 * makes one: the hidden elements are marked @inaccessible in the subgraphs'
 * SDL and composed again, so the gateway plans over every field as before while
 * the contract's clients cannot name what it hides.
 */
export interface ContractCut {
  /** Types outside the contract. */
  hiddenTypes: Set<string>;
  /** Fields outside the contract, as `Type.field`, on types that are in it. */
  hiddenFields: Set<string>;
}

/** A connection or edge follows the type of its nodes. */
function declaredObject(declaration: ContractDeclaration, name: string): boolean {
  if (declaration.types.includes(name)) return true;
  const m = /^(.+?)(Connection|Edge)$/.exec(name);
  return !!m && declaration.types.includes(m[1]);
}

/**
 * Works out the contract on the API schema: the declared queries, then every
 * field reachable from them whose type the declaration allows, with their
 * arguments' input types and enums. Throws when the declaration names a query or
 * type the schema does not have, so the one declaration stays true.
 */
export function contractCut(api: GraphQLSchema, declaration: ContractDeclaration): ContractCut {
  const query = api.getQueryType();
  if (!query) throw new Error('The API schema has no Query type.');
  const unknownQueries = declaration.queries.filter((q) => !query.getFields()[q]);
  const unknownTypes = declaration.types.filter((t) => t !== 'PageInfo' && !api.getType(t));
  const unknownFields = declaration.withheldFields.filter((c) => {
    const [type, field] = c.split('.');
    const t = api.getType(type);
    return !t || !(isObjectType(t) || isInterfaceType(t)) || !t.getFields()[field];
  });
  const unknown = [...unknownQueries.map((q) => `Query.${q}`), ...unknownTypes, ...unknownFields];
  if (unknown.length) {
    throw new Error(`The ${declaration.name} contract names what the API schema does not have: ${unknown.join(', ')}. Update infra/partner-contract.ts.`);
  }

  const keptTypes = new Set<string>([query.name]);
  const keptFields = new Set<string>();
  const pending: GraphQLNamedType[] = [];
  const keepType = (type: GraphQLNamedType): void => {
    if (keptTypes.has(type.name)) return;
    keptTypes.add(type.name);
    pending.push(type);
  };
  const keepInput = (type: GraphQLInputType): void => {
    const named = getNamedType(type);
    if (keptTypes.has(named.name)) return;
    keptTypes.add(named.name);
    if (isInputObjectType(named)) for (const f of Object.values(named.getFields())) keepInput(f.type);
  };
  const fieldAllowed = (owner: string, field: GraphQLField<unknown, unknown>): boolean => {
    if (declaration.withheldFields.includes(`${owner}.${field.name}`)) return false;
    const named = getNamedType(field.type);
    return isScalarType(named) || isEnumType(named) || declaredObject(declaration, named.name);
  };
  const keepField = (owner: string, field: GraphQLField<unknown, unknown>): void => {
    keptFields.add(`${owner}.${field.name}`);
    for (const arg of field.args) keepInput(arg.type);
    keepType(getNamedType(field.type));
  };

  for (const name of declaration.queries) {
    const field = query.getFields()[name];
    if (!fieldAllowed(query.name, field)) {
      throw new Error(`The ${declaration.name} contract offers Query.${name}, whose type ${getNamedType(field.type).name} it does not allow.`);
    }
    keepField(query.name, field);
  }
  while (pending.length) {
    const type = pending.pop()!;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) if (fieldAllowed(type.name, field)) keepField(type.name, field);
      for (const i of type.getInterfaces()) keepType(i);
      if (![...keptFields].some((f) => f.startsWith(`${type.name}.`))) {
        throw new Error(`The ${declaration.name} contract keeps ${type.name} but none of its fields.`);
      }
    } else if (isUnionType(type)) {
      for (const member of type.getTypes()) if (declaredObject(declaration, member.name)) keepType(member);
    }
  }

  const hiddenTypes = new Set<string>();
  const hiddenFields = new Set<string>();
  for (const type of Object.values(api.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    if (!keptTypes.has(type.name)) {
      hiddenTypes.add(type.name);
      continue;
    }
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.keys(type.getFields())) {
        if (!keptFields.has(`${type.name}.${field}`)) hiddenFields.add(`${type.name}.${field}`);
      }
    }
  }
  return { hiddenTypes, hiddenFields };
}

/** The name a subgraph knows @inaccessible by: imported, or federation's own prefix. */
function inaccessibleName(sdl: string): string {
  return /"@inaccessible"/.test(sdl) ? 'inaccessible' : 'federation__inaccessible';
}

/** A subgraph's SDL with the cut's elements marked @inaccessible. */
export function applyCut(sdl: string, cut: ContractCut): string {
  const directiveName = inaccessibleName(sdl);
  const directive: ConstDirectiveNode = { kind: Kind.DIRECTIVE, name: { kind: Kind.NAME, value: directiveName }, arguments: [] };
  const mark = <T extends { directives?: readonly ConstDirectiveNode[] }>(node: T): T =>
    node.directives?.some((d) => d.name.value === directiveName) ? node : { ...node, directives: [...(node.directives ?? []), directive] };
  const typeKinds = [
    Kind.OBJECT_TYPE_DEFINITION, Kind.OBJECT_TYPE_EXTENSION, Kind.INTERFACE_TYPE_DEFINITION, Kind.INTERFACE_TYPE_EXTENSION,
    Kind.UNION_TYPE_DEFINITION, Kind.UNION_TYPE_EXTENSION, Kind.ENUM_TYPE_DEFINITION, Kind.ENUM_TYPE_EXTENSION,
    Kind.INPUT_OBJECT_TYPE_DEFINITION, Kind.INPUT_OBJECT_TYPE_EXTENSION, Kind.SCALAR_TYPE_DEFINITION, Kind.SCALAR_TYPE_EXTENSION,
  ];
  const document = visit(parse(sdl), {
    enter(node) {
      if (!(typeKinds as string[]).includes(node.kind)) return undefined;
      const typeNode = node as { name: { value: string }; directives?: readonly ConstDirectiveNode[]; fields?: readonly { name: { value: string }; directives?: readonly ConstDirectiveNode[] }[] };
      const typeName = typeNode.name.value;
      if (cut.hiddenTypes.has(typeName)) return mark(typeNode);
      if (node.kind !== Kind.OBJECT_TYPE_DEFINITION && node.kind !== Kind.OBJECT_TYPE_EXTENSION && node.kind !== Kind.INTERFACE_TYPE_DEFINITION && node.kind !== Kind.INTERFACE_TYPE_EXTENSION) return undefined;
      if (!typeNode.fields?.some((f) => cut.hiddenFields.has(`${typeName}.${f.name.value}`))) return undefined;
      return { ...typeNode, fields: typeNode.fields.map((f) => (cut.hiddenFields.has(`${typeName}.${f.name.value}`) ? mark(f) : f)) };
    },
  });
  return print(document) + '\n';
}
