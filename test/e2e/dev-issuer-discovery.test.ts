import { startDevIssuer, type RunningDevIssuer } from '../../infra/dev-issuer-server';
import { DEV_ISSUER } from '../../infra/dev-issuer';

/**
 * The development issuer's discovery document, as the web app reads it: a browser
 * is sent to where it can reach the issuer, the web app's server exchanges codes
 * and the gateway fetches keys where the services reach it (docker compose's dev
 * profile: the container name, which no browser resolves).
 */
describe('the development issuer\'s discovery document', () => {
  const running: RunningDevIssuer[] = [];
  afterAll(async () => {
    for (const r of running) await r.stop();
  });
  const discovery = async (options: { issuer: string; publicUrl?: string }) => {
    const issuer = await startDevIssuer({ ...options, audience: 'send-partnership-gateway', port: 0 });
    running.push(issuer);
    const res = await fetch(`${issuer.url}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    return { issuer, doc: (await res.json()) as Record<string, string> };
  };

  it('sends browsers to its public address and servers to its issuer URL when the two differ', async () => {
    const { doc } = await discovery({ issuer: 'http://dev-issuer:4000', publicUrl: 'http://127.0.0.1:4100/' });
    expect(doc.issuer).toBe('http://dev-issuer:4000');
    expect(doc.authorization_endpoint).toBe('http://127.0.0.1:4100/authorize');
    expect(doc.end_session_endpoint).toBe('http://127.0.0.1:4100/end-session');
    expect(doc.token_endpoint).toBe('http://dev-issuer:4000/token');
    expect(doc.jwks_uri).toBe('http://dev-issuer:4000/.well-known/jwks.json');
  });

  it('names its own address for everything when its issuer is not a URL (npm start)', async () => {
    const { issuer, doc } = await discovery({ issuer: DEV_ISSUER });
    expect(doc.issuer).toBe(DEV_ISSUER);
    for (const endpoint of ['authorization_endpoint', 'end_session_endpoint', 'token_endpoint', 'jwks_uri']) {
      expect({ endpoint, at: doc[endpoint].startsWith(`http://localhost:${issuer.port}/`) }).toEqual({ endpoint, at: true });
    }
  });
});
