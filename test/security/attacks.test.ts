import { createHmac } from 'node:crypto';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { TEST_LINK_KEY_SECRET } from '../support/databases';
import { TEST_AUDIENCE, TEST_ISSUER } from '../support/auth';
import { postGraphQL, startTestStack, type GraphQLResponse, type TestStack } from '../support/stack';
import { childIds, childrenById, sql } from './helpers';

const TODAY = '2026-11-22';
const DCO = 'designated_clinical_officer' as const;
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** True when a response carries no value: no data, or only nulls under each alias. */
const noData = (res: GraphQLResponse) => res.data === undefined || res.data === null || Object.values(res.data).every((v) => v === null);

/** Asserts a refusal that carries no data and says nothing about the data. */
function expectRefused(res: GraphQLResponse, status: number, code: string): void {
  expect({ status: res.status, code: res.errors?.[0]?.extensions?.code }).toEqual({ status, code });
  expect(res.data ?? null).toBeNull();
}

type Point = { value: number | null; numerator: number | null; denominator: number | null; suppressed: boolean };
const isSmallCount = (n: number | null) => n !== null && n > 0 && n < 8;

/** What a suppressed caller must see for a point, given the point as computed (suppression.ts, in words in docs/security.md). */
function expectDisclosed(where: Record<string, unknown>, unit: string, truth: Point, seen: Point): boolean {
  const rests = unit === 'COUNT' ? [truth.numerator] : unit === 'PERCENT' ? [truth.numerator, truth.denominator, truth.denominator === null || truth.numerator === null ? null : truth.denominator - truth.numerator] : [truth.numerator, truth.denominator];
  if (rests.some(isSmallCount)) {
    expect({ ...where, seen }).toEqual({ ...where, seen: { ...seen, value: null, numerator: null, denominator: null, suppressed: true } });
    return true;
  }
  if (unit === 'COUNT') expect({ ...where, value: seen.value }).toEqual({ ...where, value: truth.value === null ? null : Math.round(truth.value / 5) * 5 });
  // A rate or mean is shown as computed, without the parts that would let it be undone.
  else expect({ ...where, seen }).toEqual({ ...where, seen: { ...seen, value: truth.value, numerator: null, denominator: null, suppressed: false } });
  return false;
}

describe('attack corpus', () => {
  let stack: TestStack;
  let targets: Array<[string, string]>;
  beforeAll(async () => {
    stack = await startTestStack({ seed: { linkKeySecret: TEST_LINK_KEY_SECRET, scale: 0.02, today: TODAY, log: () => undefined } });
    targets = [['gateway', stack.gateway.url], ...Object.entries(stack.subgraphs).map(([n, s]) => [n, s.url] as [string, string])];
  });
  afterAll(async () => stack?.stop());

  describe('tokens', () => {
    const claims = { roles: [DCO], org: 'ICB', preferred_username: 'mallory' };

    /** Each forged token, and how it was made. */
    async function forgeries(): Promise<Array<[string, string | null]>> {
      const other = await generateKeyPair('ES256');
      const otherRsa = await generateKeyPair('RS256');
      const good = () => new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: stack.issuer.kid }).setSubject('mallory').setIssuedAt();
      const publicJwk = JSON.stringify(stack.issuer.config.jwks!.keys[0]);
      const hsHeader = b64({ alg: 'HS256', typ: 'JWT', kid: stack.issuer.kid });
      const hsBody = b64({ ...claims, sub: 'mallory', iss: TEST_ISSUER, aud: TEST_AUDIENCE, exp: now() + 600 });
      const hsWithPublicKey = `${hsHeader}.${hsBody}.${createHmac('sha256', publicJwk).update(`${hsHeader}.${hsBody}`).digest('base64url')}`;
      // The same trick with the PEM text of the public key, the classic form of the attack.
      const pem = await exportSPKI((await generateKeyPair('ES256', { extractable: true })).publicKey);
      const hsWithPem = `${hsHeader}.${hsBody}.${createHmac('sha256', pem).update(`${hsHeader}.${hsBody}`).digest('base64url')}`;
      return [
        ['no Authorization header', null],
        ['not a bearer token', 'Basic bWFsbG9yeTpwYXNzd29yZA=='],
        ['garbage', 'Bearer not.a.jwt'],
        ['expired', `Bearer ${await good().setIssuer(TEST_ISSUER).setAudience(TEST_AUDIENCE).setExpirationTime(now() - 60).sign(stack.issuer.privateKey)}`],
        ['signed by another key with the same kid', `Bearer ${await good().setIssuer(TEST_ISSUER).setAudience(TEST_AUDIENCE).setExpirationTime('5m').sign(other.privateKey)}`],
        ['RS256 from an unknown key', `Bearer ${await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: stack.issuer.kid }).setSubject('mallory').setIssuer(TEST_ISSUER).setAudience(TEST_AUDIENCE).setExpirationTime('5m').sign(otherRsa.privateKey)}`],
        ['wrong audience', `Bearer ${await good().setIssuer(TEST_ISSUER).setAudience('some-other-api').setExpirationTime('5m').sign(stack.issuer.privateKey)}`],
        ['wrong issuer', `Bearer ${await good().setIssuer('https://evil.example').setAudience(TEST_AUDIENCE).setExpirationTime('5m').sign(stack.issuer.privateKey)}`],
        ['no expiry', `Bearer ${await good().setIssuer(TEST_ISSUER).setAudience(TEST_AUDIENCE).sign(stack.issuer.privateKey)}`],
        ['alg: none', `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${hsBody}.`],
        ['HS256 signed with the public JWK', `Bearer ${hsWithPublicKey}`],
        ['HS256 signed with a public key PEM', `Bearer ${hsWithPem}`],
        ['a valid signature but no org', `Bearer ${await new SignJWT({ roles: [DCO] }).setProtectedHeader({ alg: 'ES256', kid: stack.issuer.kid }).setSubject('mallory').setIssuer(TEST_ISSUER).setAudience(TEST_AUDIENCE).setExpirationTime('5m').sign(stack.issuer.privateKey)}`],
        ['an embedded jwk header pointing at the attacker\'s key', `Bearer ${await good().setProtectedHeader({ alg: 'ES256', jwk: await exportJWK(other.publicKey) }).setIssuer(TEST_ISSUER).setAudience(TEST_AUDIENCE).setExpirationTime('5m').sign(other.privateKey)}`],
      ];
    }

    it('every forged, expired or unsigned token gets HTTP 401 and no data, at the gateway and at each subgraph', async () => {
      const query = childrenById(await childIds(stack, 1), 'id forename');
      const subgraphQuery = '{ _service { sdl } }';
      for (const [what, header] of await forgeries()) {
        for (const [where, url] of targets) {
          const res = await postGraphQL(url, where === 'gateway' ? query : subgraphQuery, undefined, header ? { authorization: header } : {});
          expect({ what, where, status: res.status, code: res.errors?.[0]?.extensions?.code, data: res.data ?? null }).toEqual({ what, where, status: 401, code: 'UNAUTHENTICATED', data: null });
          // The message is about the token, never an echo of it.
          if (header) expect(res.errors![0].message).not.toContain(header.split(' ')[1]?.slice(0, 20) || '\u0000');
        }
      }
    });

    it('the genuine token, for contrast, is accepted at the gateway and at each subgraph', async () => {
      const auth = await stack.issuer.as(DCO);
      expect((await postGraphQL(stack.gateway.url, childrenById(await childIds(stack, 1), 'id'), undefined, auth)).status).toBe(200);
      for (const s of Object.values(stack.subgraphs)) expect((await postGraphQL(s.url, '{ _service { sdl } }', undefined, auth)).status).toBe(200);
    });

    it('a role claimed by the wrong organisation counts for nothing', async () => {
      const res = await postGraphQL(stack.gateway.url, childrenById(await childIds(stack, 1), 'id'), undefined, await stack.issuer.as('la_caseworker', { org: 'PARTNER:evil' }));
      expect(res.errors![0].extensions!.code).toBe('FORBIDDEN');
      expect(noData(res)).toBe(true);
    });
  });

  describe('disclosure', () => {
    async function districts(): Promise<string[]> {
      return (await sql<{ district: string }>(stack, 'casework', 'SELECT DISTINCT district FROM child WHERE district IS NOT NULL ORDER BY district')).map((r) => r.district);
    }

    it('filtering measures to small groups (one district, one month) never reveals a figure resting on 1-7 records', async () => {
      const q = `query($d: String) { caseworkMeasures(codes: ["EHCNA_REQUESTS", "PLANS_ACTIVE", "EHC_20WK_EXCL", "EHC_MEAN_WEEKS"], from: "2025-01-01", to: "2026-10-31", filter: { district: $d }) { code unit points { periodStart value numerator denominator suppressed } } }`;
      type R = { caseworkMeasures: Array<{ code: string; unit: string; points: Array<Point & { periodStart: string }> }> };
      let withheld = 0;
      for (const district of [null, ...(await districts())]) {
        const truth = (await stack.queryAs<R>(DCO, q, { d: district })).data!.caseworkMeasures;
        for (const role of ['executive', 'board_member', 'partner_app', 'icb_analyst'] as const) {
          const seen = await stack.queryAs<R>(role, q, { d: district });
          expect(seen.errors).toBeUndefined();
          seen.data!.caseworkMeasures.forEach((series, s) =>
            series.points.forEach((p, i) => {
              if (expectDisclosed({ district, role, code: series.code, period: p.periodStart }, series.unit, truth[s].points[i], p)) withheld++;
            }),
          );
        }
      }
      // The data really had small groups in it, so the test above tested something.
      expect(withheld).toBeGreaterThan(0);
    });

    it('the KPI reached through governance is disclosed the same way as the measure asked for directly', async () => {
      const q = `{ priorityActions { nodes { reference kpi { caseworkMeasure { code unit latest(asOf: "${TODAY}") { value numerator denominator suppressed } } } } } }`;
      type R = { priorityActions: { nodes: Array<{ reference: string; kpi: { caseworkMeasure: { code: string; unit: string; latest: Point } | null } | null }> } };
      const truth = (await stack.queryAs<R>(DCO, q)).data!.priorityActions.nodes;
      const seen = await stack.queryAs<R>('executive', q);
      expect(seen.errors).toBeUndefined();
      let compared = 0;
      seen.data!.priorityActions.nodes.forEach((a, i) => {
        const t = truth[i].kpi?.caseworkMeasure;
        const p = a.kpi?.caseworkMeasure;
        if (!t || !p) return;
        compared++;
        expectDisclosed({ action: a.reference, code: t.code }, t.unit, t.latest, p.latest);
      });
      expect(compared).toBeGreaterThan(0);
    });
  });

  describe('injection', () => {
    const INJECTIONS = ["' OR '1'='1", "x'; DROP TABLE child; --", '") OR 1=1 --', '\\\'; SELECT pg_sleep(0); --', '%', '_', 'NULL'];

    it('strings in measure filters are bound parameters: they match no district, change nothing and break nothing', async () => {
      const q = `query($d: String) { caseworkMeasures(codes: ["PLANS_ACTIVE"], from: "2026-01-01", to: "2026-03-31", filter: { district: $d }) { points { value } } }`;
      for (const d of INJECTIONS) {
        const res = await stack.queryAs<{ caseworkMeasures: Array<{ points: Array<{ value: number }> }> }>(DCO, q, { d });
        expect({ d, errors: res.errors, values: res.data?.caseworkMeasures[0].points.map((p) => p.value) }).toEqual({ d, errors: undefined, values: [0, 0, 0] });
      }
      expect((await sql(stack, 'casework', 'SELECT count(*)::int AS n FROM child'))[0].n).toBeGreaterThan(0);
    });

    it('strings in the audit filter are bound parameters', async () => {
      for (const userId of INJECTIONS) {
        const res = await stack.queryAs<{ caseworkAuditEvents: { edges: unknown[] } }>('auditor', 'query($u: String) { caseworkAuditEvents(filter: { userId: $u }) { edges { cursor } } }', { u: userId });
        expect({ userId, errors: res.errors, n: res.data?.caseworkAuditEvents.edges.length }).toEqual({ userId, errors: undefined, n: 0 });
      }
    });

    it('an unknown measure code is refused by name; a database error is masked, never quoted', async () => {
      const bad = await stack.queryAs(DCO, `{ caseworkMeasures(codes: ["X'; DROP TABLE child; --"], from: "2026-01-01", to: "2026-01-31") { code } }`);
      expect(bad.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
      const broken = await stack.queryAs(DCO, `{ child(id: "not-a-uuid' OR 1=1 --") { id forename } }`);
      const text = JSON.stringify(broken);
      expect(text).not.toMatch(/select |from "child"|syntax for type uuid/i);
      expect(broken.data?.child ?? null).toBeNull();
    });
  });

  describe('leak paths', () => {
    it('_entities for a person-level type is refused before lookup: the same answer whether or not the record exists', async () => {
      const [id] = await childIds(stack, 1);
      const child = { id };
      const ask = async (id: string) =>
        postGraphQL<{ _entities: unknown[] }>(stack.subgraphs.casework.url, 'query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Child { id } } }', { r: [{ __typename: 'Child', id }] }, await stack.issuer.as('icb_analyst'));
      const existing = await ask(child.id);
      const missing = await ask('00000000-0000-0000-0000-000000000000');
      expect(existing.data!._entities).toEqual([null]);
      expect(existing.errors!.map((e) => [e.extensions!.code, e.message])).toEqual(missing.errors!.map((e) => [e.extensions!.code, e.message]));
      expect(existing.errors![0].extensions!.code).toBe('FORBIDDEN');
    });

    it('a FORBIDDEN error names the field, not its value', async () => {
      const ids = await childIds(stack, 1);
      const truth = (await stack.queryAs<Record<string, { surname: string }>>(DCO, childrenById(ids, 'surname'))).data!.c0;
      const res = await stack.queryAs('executive', childrenById(ids, 'surname'));
      expect(res.errors![0].message).toMatch(/child/);
      expect(JSON.stringify(res)).not.toContain(truth.surname);
    });

    it('schema suggestions are not offered to a prober', async () => {
      const res = await stack.queryAs('executive', '{ childre { id } }');
      expect(res.errors![0].message).not.toMatch(/Did you mean/);
    });
  });
});

describe('request limits at the gateway (and behind it, at each subgraph)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ limits: { maxDepth: 4, maxAliases: 3, maxTokens: 120, maxCost: 20, maxDirectives: 3 } });
  });
  afterAll(async () => stack?.stop());

  it('refuses a query deeper than GRAPHQL_MAX_DEPTH, naming the limit', async () => {
    const res = await stack.queryAs(DCO, '{ priorityActions { nodes { kpi { caseworkMeasure { latest(asOf: "2026-11-22") { value } } } } } }');
    expectRefused(res, 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(res.errors!.map((e) => e.message).join(' ')).toMatch(/depth limit of 4 exceeded.*GRAPHQL_MAX_DEPTH/);
  });

  it('refuses an alias flood, naming the limit', async () => {
    const res = await stack.queryAs(DCO, `{ ${Array.from({ length: 6 }, (_, i) => `a${i}: priorityActions { nodes { reference } }`).join(' ')} }`);
    expectRefused(res, 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(res.errors!.map((e) => e.message).join(' ')).toMatch(/Aliases limit of 3 exceeded.*GRAPHQL_MAX_ALIASES/);
  });

  it('refuses a document with too many tokens, naming the limit', async () => {
    const res = await stack.queryAs(DCO, `{ priorityActions { nodes { ${'reference '.repeat(150)} } } }`);
    expectRefused(res, 400, 'GRAPHQL_PARSE_FAILED');
    expect(res.errors![0].message).toMatch(/Token limit of 120 exceeded.*GRAPHQL_MAX_TOKENS/);
  });

  it('refuses a query over the cost limit, naming the limit', async () => {
    const res = await stack.queryAs(DCO, '{ priorityActions { nodes { reference title kpi { name measureCode target caseworkMeasure { code name unit description } } } } }');
    expectRefused(res, 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(res.errors!.map((e) => e.message).join(' ')).toMatch(/Cost limit of 20 exceeded.*GRAPHQL_MAX_COST/i);
  });

  it('refuses a directive flood, naming the limit', async () => {
    const res = await stack.queryAs(DCO, '{ priorityActions { nodes { reference @include(if: true) @include(if: true) @skip(if: false) @skip(if: false) } } }');
    expect(res.status).toBe(400);
    expect(res.errors!.map((e) => e.message).join(' ')).toMatch(/Directives limit of 3 exceeded.*GRAPHQL_MAX_DIRECTIVES/i);
  });

  it('a subgraph reached directly applies its own (looser) limits too', async () => {
    const aliases = `{ ${Array.from({ length: 8 }, (_, i) => `a${i}: _service { sdl }`).join(' ')} }`;
    const res = await postGraphQL(stack.subgraphs.casework.url, aliases, undefined, await stack.issuer.as(DCO));
    expectRefused(res, 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(res.errors![0].message).toMatch(/Aliases limit of 6 exceeded/);
  });

  it('a batched HTTP request is refused', async () => {
    const res = await fetch(stack.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...(await stack.issuer.as(DCO)) }, body: JSON.stringify([{ query: '{ priorityActions { nodes { reference } } }' }, { query: '{ priorityActions { nodes { reference } } }' }]) });
    expect(res.status).toBe(400);
  });

  it('a body over the limit gets 413 before anything is parsed', async () => {
    const res = await fetch(stack.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...(await stack.issuer.as(DCO)) }, body: JSON.stringify({ query: `{ priorityActions { nodes { reference } } } # ${'x'.repeat(1_100_000)}` }) });
    expect(res.status).toBe(413);
  });

  it('a simple GET without a preflight header is refused (CSRF prevention)', async () => {
    const res = await fetch(`${stack.gateway.url}?query=${encodeURIComponent('{ priorityActions { reference } }')}`, { headers: await stack.issuer.as(DCO) });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF|preflight/i);
  });
});

describe('in production mode', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ production: true });
  });
  afterAll(async () => stack?.stop());

  it('introspection is off at the gateway and at each subgraph', async () => {
    const auth = await stack.issuer.as(DCO);
    for (const url of [stack.gateway.url, ...Object.values(stack.subgraphs).map((s) => s.url)]) {
      const res = await postGraphQL(url, '{ __schema { types { name } } }', undefined, auth);
      expect({ url, code: res.errors?.[0]?.extensions?.code, data: res.data ?? null }).toEqual({ url, code: 'GRAPHQL_VALIDATION_FAILED', data: null });
    }
  });

  it('errors carry no stack traces', async () => {
    const res = await stack.queryAs('executive', '{ priorityActions { nodes { reference } } child(id: "00000000-0000-0000-0000-000000000000") { surname } }');
    expect(res.errors!.length).toBeGreaterThan(0);
    for (const e of res.errors!) expect(e.extensions?.stacktrace).toBeUndefined();
  });
});
