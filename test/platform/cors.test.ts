import { corsOriginsFromEnv } from '../../gateway/cors';
import { startTestStack, type TestStack } from '../support/stack';

const APP = 'https://app.partnership.example';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ gateway: { corsOrigins: [APP] } });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const preflight = (origin: string) =>
  fetch(stack.gateway.url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });

describe('the gateway\'s CORS', () => {
  it('answers a preflight from a configured origin, allowing the bearer header and POST', async () => {
    const res = await preflight(APP);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('gives any other origin no CORS headers, so the browser refuses', async () => {
    const res = await preflight('https://elsewhere.example');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const post = await fetch(stack.gateway.url, { method: 'POST', headers: { origin: 'https://elsewhere.example', 'content-type': 'application/json', ...(await stack.issuer.as('executive')) }, body: JSON.stringify({ query: '{ papAreas { nodes { reference } } }' }) });
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('marks a real request from a configured origin as readable by it', async () => {
    const res = await fetch(stack.gateway.url, { method: 'POST', headers: { origin: APP, 'content-type': 'application/json', ...(await stack.issuer.as('executive')) }, body: JSON.stringify({ query: '{ papAreas { nodes { reference } } }' }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('vary')).toContain('Origin');
  });

  it('reads CORS_ORIGINS as a comma list of origins, refusing anything that is not one', () => {
    expect(corsOriginsFromEnv({ CORS_ORIGINS: `${APP}, http://localhost:4004` })).toEqual([APP, 'http://localhost:4004']);
    expect(corsOriginsFromEnv({})).toEqual([]);
    expect(() => corsOriginsFromEnv({ CORS_ORIGINS: 'https://app.example/path' })).toThrow('CORS_ORIGINS');
    expect(() => corsOriginsFromEnv({ CORS_ORIGINS: '*' })).toThrow('CORS_ORIGINS');
  });
});
