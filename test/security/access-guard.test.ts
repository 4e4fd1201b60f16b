import { getNamedType, isObjectType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { Authorized, buildSchema, Field, getMetadataStorage, ObjectType, Query, Resolver } from 'type-graphql';
import { SUBGRAPHS } from '../../infra/subgraphs';
import { Access } from '../../subgraphs/toolkit/access';
import { subgraphSchema } from '../../subgraphs/toolkit/subgraph';

/**
 * Fields that need no access rule of their own, each with the reason.
 * Everything else in every subgraph's schema must name an Access rule.
 */
const EXEMPT: Record<string, string> = {
  'Query._entities': 'federation: each entity type it returns carries its own rules, and references are refused before lookup',
  'Query._service': 'federation: the subgraph\'s SDL, behind the token check like every request',
  '_Service.sdl': 'federation: the SDL itself',
};

/** The name of the Access rule whose roles are exactly these, or null for an ad-hoc list. */
function ruleNamed(roles: readonly unknown[]): string | null {
  // @Authorized(Access.X) keeps the very array, so identity names the rule even where two rules share roles.
  for (const [name, rule] of Object.entries(Access)) if (rule === roles) return name;
  const key = [...roles].map(String).sort().join(',');
  for (const [name, rule] of Object.entries(Access)) if ([...rule].sort().join(',') === key) return name;
  return null;
}

interface Finding {
  field: string;
  rule: string | null;
  problem?: string;
}

/** True for a federation entity (@key): reachable through _entities, so its fields need rules of their own. */
function isEntity(type: GraphQLObjectType): boolean {
  return !!type.astNode?.directives?.some((d) => d.name.value === 'key') || !!type.extensionASTNodes?.some((n) => n.directives?.some((d) => d.name.value === 'key'));
}

/**
 * Every object field, query and mutation of one subgraph, with the Access rule
 * type-graphql holds for it. A field with no rule of its own passes only on a
 * result type (a page, a measure point) that is not an entity and is reached
 * solely through fields that pass: it inherits their rules.
 */
function accessOf(schema: GraphQLSchema): Finding[] {
  const storage = getMetadataStorage();
  const own = new Map<string, Finding>();
  const judge = (field: string, roleLists: Array<readonly unknown[] | undefined>): Finding => {
    if (EXEMPT[field]) return { field, rule: 'EXEMPT' };
    if (roleLists.length === 0) return { field, rule: null, problem: 'no type-graphql declaration found' };
    const missing = roleLists.some((r) => !r);
    if (missing) return { field, rule: null, problem: 'no @Authorized(Access.X) on the field, its class or its resolver' };
    const names = [...new Set(roleLists.map((r) => (r!.length === 0 ? null : ruleNamed(r!))))];
    if (names.includes(null)) return { field, rule: null, problem: 'roles are not one of the Access rules (empty @Authorized() or an ad-hoc list)' };
    return { field, rule: names.join('|') };
  };
  const types = Object.values(schema.getTypeMap()).filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__'));
  const incoming = new Map<string, string[]>();
  for (const type of types) {
    for (const field of Object.values(type.getFields())) {
      const id = `${type.name}.${field.name}`;
      const target = getNamedType(field.type).name;
      incoming.set(target, [...(incoming.get(target) ?? []), id]);
      if (type.name === 'Query' || type.name === 'Mutation') {
        const list = type.name === 'Query' ? storage.queries : storage.mutations;
        own.set(id, judge(id, list.filter((q) => q.schemaName === field.name).map((q) => q.roles)));
      } else {
        const declared = storage.objectTypes.filter((o) => o.name === type.name).flatMap((o) => (o.fields ?? []).filter((f) => f.schemaName === field.name));
        own.set(id, judge(id, declared.map((f) => f.roles)));
      }
    }
  }
  // Greatest fixpoint: start by trusting every non-root, non-entity type that something leads to, then drop
  // any type reached through a field that neither has a rule nor sits on a trusted type.
  const trusted = new Set(types.filter((t) => !['Query', 'Mutation', '_Service'].includes(t.name) && !isEntity(t) && incoming.has(t.name)).map((t) => t.name));
  const passes = (id: string) => !own.get(id)!.problem || trusted.has(id.split('.')[0]);
  for (let changed = true; changed; ) {
    changed = false;
    for (const name of [...trusted]) {
      if (!incoming.get(name)!.every(passes)) {
        trusted.delete(name);
        changed = true;
      }
    }
  }
  return [...own.values()].map((f) => (f.problem && trusted.has(f.field.split('.')[0]) ? { field: f.field, rule: `inherited from ${incoming.get(f.field.split('.')[0])!.join(', ')}` } : f));
}

describe('every field declares who may read it', () => {
  const schemas: Record<string, GraphQLSchema> = {};
  beforeAll(async () => {
    for (const definition of SUBGRAPHS) schemas[definition.name] = await subgraphSchema(definition);
  });

  it.each(SUBGRAPHS.map((s) => s.name))('%s: every object field, query and mutation names an Access rule', (name) => {
    const problems = accessOf(schemas[name]).filter((f) => f.problem);
    expect(problems).toEqual([]);
  });

  it.each(SUBGRAPHS.map((s) => s.name))('%s: every person-level type it lists exists in its schema', (name) => {
    const definition = SUBGRAPHS.find((s) => s.name === name)!;
    for (const type of definition.personLevelTypes) expect({ type, exists: isObjectType(schemas[name].getType(type)) }).toEqual({ type, exists: true });
  });

  it.each(SUBGRAPHS.map((s) => s.name))('%s: a person-level type is readable only under person-level rules, never under aggregate or governance rules', (name) => {
    const definition = SUBGRAPHS.find((s) => s.name === name)!;
    const personRules = new Set(['CASEWORK_PERSON_READ', 'CASEWORK_PERSON_WRITE', 'HEALTH_PERSON_READ', 'HEALTH_IDENTIFIABLE_READ', 'HEALTH_ADVICE_DATES_READ', 'EXEMPT']);
    const findings = accessOf(schemas[name]).filter((f) => definition.personLevelTypes.includes(f.field.split('.')[0]));
    const loose = findings.filter((f) => f.rule && f.rule.split('|').some((r) => !personRules.has(r)));
    expect(loose).toEqual([]);
  });

  /** Fields that identify a person (or pseudonymously link one across organisations). */
  const IDENTIFYING = /^(nhsNumber|forename|surname|firstName|lastName|fullName|birthDate|dateOfBirth|postcode|address|upn|uln|linkKey)$/;
  /** Types that carry such a field yet are not audited as person-level, each with the reason. */
  const NOT_PERSON_LEVEL: Record<string, string> = {
    'health.Child': 'a federation stub holding only the link key it was asked by; what health knows of the child (Referral, SpaceEnrolment, HealthAdvice) is audited under its own types',
  };

  it.each(SUBGRAPHS.map((s) => s.name))('%s: every type with an identifying field is a person-level (audited) type', (name) => {
    const definition = SUBGRAPHS.find((s) => s.name === name)!;
    const unaudited: string[] = [];
    for (const type of Object.values(schemas[name].getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('_') || NOT_PERSON_LEVEL[`${name}.${type.name}`]) continue;
      const identifying = Object.keys(type.getFields()).filter((f) => IDENTIFYING.test(f));
      if (identifying.length && !definition.personLevelTypes.includes(type.name)) unaudited.push(`${type.name} (${identifying.join(', ')})`);
    }
    expect(unaudited).toEqual([]);
  });

  it('the guard itself catches a field without a rule', async () => {
    // A throwaway type with one ruled and one unruled field, checked the same way.
    @ObjectType('GuardProbe')
    class GuardProbe {
      @Authorized(Access.AUDIT_READ)
      @Field()
      ruled!: string;

      @Field()
      unruled!: string;
    }
    @Resolver()
    class GuardProbeResolver {
      @Query(() => GuardProbe, { name: 'guardProbe' })
      guardProbe(): GuardProbe {
        return new GuardProbe();
      }
    }
    const schema = await buildSchema({ resolvers: [GuardProbeResolver], authChecker: () => true, validate: false });
    const found = accessOf(schema);
    expect(found.find((f) => f.field === 'GuardProbe.ruled')).toEqual({ field: 'GuardProbe.ruled', rule: 'AUDIT_READ' });
    expect(found.find((f) => f.field === 'GuardProbe.unruled')?.problem).toBeDefined();
    expect(found.find((f) => f.field === 'Query.guardProbe')?.problem).toBeDefined();
    // Once the only way in has a rule, the result type's unruled field inherits it.
    @Resolver()
    class GuardProbeRuledResolver {
      @Authorized(Access.GOVERNANCE_READ)
      @Query(() => GuardProbe, { name: 'guardProbeRuled' })
      guardProbeRuled(): GuardProbe {
        return new GuardProbe();
      }
    }
    const ruled = accessOf(await buildSchema({ resolvers: [GuardProbeRuledResolver], authChecker: () => true, validate: false }));
    expect(ruled.find((f) => f.field === 'GuardProbe.unruled')).toEqual({ field: 'GuardProbe.unruled', rule: 'inherited from Query.guardProbeRuled' });
  });
});
