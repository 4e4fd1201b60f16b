import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { execute, parse, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import pg from 'pg';
import { Authorized, buildSchema, Ctx, Field, FieldResolver, ID, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { casework } from '../../subgraphs/casework';
import { Access, type RoleName } from '../../subgraphs/toolkit/access';
import { auditReadsPlugin } from '../../subgraphs/toolkit/audit-reads';
import { authChecker } from '../../subgraphs/toolkit/auth';
import { Loaders, type SubgraphContext } from '../../subgraphs/toolkit/context';
import { openDatabase, type Orm } from '../../subgraphs/toolkit/database';
import { buildFederatedSchema } from '../../subgraphs/toolkit/federation';
import { USUAL_ORG } from '../../platform/roles';
import { createTestDatabases, type TestDatabases } from '../support/databases';

/**
 * The rules checked once per request (toolkit/field-access.ts) rather than by
 * type-graphql's middleware on every field: a probe type whose fields carry
 * different rules, read by roles that may read some of them. Whatever a role
 * got before (values, a FORBIDDEN error on each refused field of each record,
 * the audit of the fields it was given), it gets the same.
 */

// The class rule lets the LA caseworker and the DCO read the record; `secret` is the DCO's alone.
@ObjectType('FieldAccessProbe')
@Authorized(Access.CASEWORK_PERSON_READ)
class FieldAccessProbe {
  // Nullable, so that a refused field is nulled on its own and the rest of the record stands.
  @Field(() => ID, { nullable: true })
  id!: string;

  @Field(() => String, { nullable: true })
  name!: string;

  @Authorized(Access.HEALTH_IDENTIFIABLE_READ)
  @Field(() => String, { nullable: true })
  secret!: string;

  /** A default the records below leave out: a field resolver gets the record as type-graphql gave it, with the default. */
  reviewed: boolean = true;
}

// Plain objects, as the plain-row loaders give records: no `reviewed`.
const PROBES = ['a', 'b', 'c'].map((id) => ({ id, name: `name ${id}`, secret: `secret ${id}` }));

@Resolver(() => FieldAccessProbe)
class FieldAccessProbeResolver {
  // Every aggregate reader reaches the records: what each may read of them is up to their fields.
  @Authorized(Access.GOVERNANCE_READ)
  @Query(() => [FieldAccessProbe], { nullable: true })
  fieldAccessProbes(): FieldAccessProbe[] {
    return PROBES.map((p) => ({ ...p }) as FieldAccessProbe);
  }

  @Authorized(Access.HEALTH_ADVICE_DATES_READ)
  @FieldResolver(() => String, { nullable: true })
  adviceNote(@Root() probe: FieldAccessProbe, @Ctx() context: SubgraphContext): string {
    return `advice ${probe.id} for ${context.caller!.userId}`;
  }

  @Authorized(Access.CASEWORK_PERSON_READ)
  @FieldResolver(() => String, { nullable: true })
  reviewNote(@Root() probe: FieldAccessProbe): string {
    return `${probe.id} reviewed: ${String(probe.reviewed)}`;
  }

  @Authorized(Access.AUDIT_READ)
  @FieldResolver(() => String, { nullable: true })
  async auditorsNote(@Root() probe: FieldAccessProbe): Promise<string> {
    return `audit ${probe.id}`;
  }
}

const QUERY = 'query Probe { fieldAccessProbes { id name secret adviceNote auditorsNote reviewNote } }';

function contextFor(role: RoleName, em = null as unknown as EntityManager): SubgraphContext {
  return { em, caller: { userId: `probe-${role}`, roles: [role], org: USUAL_ORG[role] } as SubgraphContext['caller'], loaders: new Loaders(), requestId: `probe-${role}-${Math.random()}` };
}

/** An answer with its errors as sorted `path: message (code)` lines, so two executions compare whatever order errors came in. */
async function answer(schema: GraphQLSchema, role: RoleName): Promise<{ data: unknown; errors: string[] }> {
  const result = await execute({ schema, document: parse(QUERY), contextValue: contextFor(role) });
  return { data: result.data, errors: (result.errors ?? []).map((e) => `${e.path?.join('.')}: ${e.message} (${String(e.extensions?.code)})`).sort() };
}

describe('field rules decided once per request', () => {
  let ours: GraphQLSchema;
  let perField: GraphQLSchema;
  beforeAll(async () => {
    ours = await buildFederatedSchema({ resolvers: [FieldAccessProbeResolver] });
    // type-graphql's own middleware on every field: what the rules were checked with before.
    perField = await buildSchema({ resolvers: [FieldAccessProbeResolver], authChecker, authMode: 'error', validate: false });
  });

  it('reads a field without type-graphql\'s middleware: the value itself, not a promise', () => {
    const fields = (ours.getType('FieldAccessProbe') as GraphQLObjectType).getFields();
    const info = { parentType: ours.getType('FieldAccessProbe'), fieldName: 'name' } as never;
    expect(fields.name.resolve!(PROBES[0], {}, contextFor('la_caseworker'), info)).toBe('name a');
    expect(fields.adviceNote.resolve!(PROBES[0], {}, contextFor('la_caseworker'), { ...(info as object), fieldName: 'adviceNote' } as never)).toBe('advice a for probe-la_caseworker');
    // The same field under type-graphql's middleware answers a promise.
    const before = (perField.getType('FieldAccessProbe') as GraphQLObjectType).getFields();
    expect(before.name.resolve!(PROBES[0], {}, contextFor('la_caseworker'), info)).toBeInstanceOf(Promise);
  });

  it.each<RoleName>(['la_caseworker', 'designated_clinical_officer', 'icb_analyst', 'auditor'])('%s gets exactly what the per-field checks gave', async (role) => {
    expect(await answer(ours, role)).toEqual(await answer(perField, role));
  });

  it('refuses each refused field of each record with its own FORBIDDEN, after other rules were allowed in the same request', async () => {
    const { data, errors } = await answer(ours, 'la_caseworker');
    expect(data).toEqual({
      fieldAccessProbes: PROBES.map((p) => ({ id: p.id, name: p.name, secret: null, adviceNote: `advice ${p.id} for probe-la_caseworker`, auditorsNote: null, reviewNote: `${p.id} reviewed: true` })),
    });
    expect(errors).toEqual(
      ['a', 'b', 'c'].flatMap((_, i) => [
        `fieldAccessProbes.${i}.auditorsNote: Forbidden: your role may not read FieldAccessProbe.auditorsNote. (FORBIDDEN)`,
        `fieldAccessProbes.${i}.secret: Forbidden: your role may not read FieldAccessProbe.secret. (FORBIDDEN)`,
      ]).sort(),
    );
    // The analyst may not read the record's own fields, only the advice note: refused field by field too.
    const analyst = await answer(ours, 'icb_analyst');
    expect(analyst.errors.filter((e) => e.includes('FieldAccessProbe.name'))).toHaveLength(3);
    expect(analyst.errors.filter((e) => e.includes('FieldAccessProbe.reviewNote'))).toHaveLength(3);
    expect(analyst.errors.filter((e) => e.includes('adviceNote'))).toEqual([]);
  });

  describe('audit of the fields given', () => {
    let databases: TestDatabases;
    let orm: Orm;
    let server: ApolloServer<SubgraphContext>;
    beforeAll(async () => {
      databases = await createTestDatabases([casework]);
      orm = await openDatabase({ url: databases.logins.casework.appUrl, entities: casework.entities, migrations: casework.migrations });
      server = new ApolloServer<SubgraphContext>({ schema: ours, plugins: [ApolloServerPluginInlineTraceDisabled(), auditReadsPlugin(['FieldAccessProbe'])] });
      await server.start();
    }, 120_000);
    afterAll(async () => {
      await server?.stop();
      await orm?.close(true);
      await databases?.drop();
    });

    async function trail(requestId: string): Promise<Array<{ entity_type: string; record_ids: string[]; fields: string[] }>> {
      const client = new pg.Client({ connectionString: databases.logins.casework.ownerUrl });
      await client.connect();
      try {
        return (await client.query('SELECT entity_type, record_ids, fields FROM audit_event WHERE request_id = $1 ORDER BY id', [requestId])).rows;
      } finally {
        await client.end();
      }
    }

    it('records the fields each role was given, never one it was refused', async () => {
      // The DCO reads everything but the auditor's note.
      const dco = contextFor('designated_clinical_officer', orm.em.fork() as EntityManager);
      const read = await server.executeOperation({ query: 'query Probe { fieldAccessProbes { id name secret adviceNote } }' }, { contextValue: dco });
      expect(read.body.kind === 'single' && read.body.singleResult.errors).toBeUndefined();
      expect(await trail(dco.requestId)).toEqual([{ entity_type: 'FieldAccessProbe', record_ids: ['a', 'b', 'c'], fields: ['adviceNote', 'id', 'name', 'secret'] }]);

      // The analyst is refused the record's own fields on every record; only the advice note is recorded.
      const analyst = contextFor('icb_analyst', orm.em.fork() as EntityManager);
      const refused = await server.executeOperation({ query: 'query Probe { fieldAccessProbes { adviceNote name } }' }, { contextValue: analyst });
      expect(refused.body.kind === 'single' && refused.body.singleResult.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
      expect(await trail(analyst.requestId)).toEqual([{ entity_type: 'FieldAccessProbe', record_ids: ['a', 'b', 'c'], fields: ['adviceNote'] }]);
    });
  });
});
