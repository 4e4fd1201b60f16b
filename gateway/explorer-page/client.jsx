// The explorer's page: GraphiQL against this gateway, bundled at build time
// (infra/explorer-build.ts) so that nothing loads from another origin.
import React, { useCallback, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import 'graphiql/graphiql.css';

const ENDPOINTS = [
  { path: '/graphql', label: 'Whole API (/graphql)' },
  { path: '/partner/graphql', label: 'Partner contract (/partner/graphql)' },
];
// Kept for this browser tab only: a token is a credential.
const TOKEN_KEY = 'send-explorer-token';
const ENDPOINT_KEY = 'send-explorer-endpoint';

function Explorer() {
  const [token, setToken] = useState(() => sessionStorage.getItem(TOKEN_KEY) ?? '');
  const [endpoint, setEndpoint] = useState(() => sessionStorage.getItem(ENDPOINT_KEY) ?? '/graphql');
  const [applied, setApplied] = useState({ token, endpoint });

  const fetcher = useMemo(
    () => async (params) => {
      const headers = { 'content-type': 'application/json' };
      if (applied.token) headers.authorization = `Bearer ${applied.token}`;
      const res = await fetch(applied.endpoint, { method: 'POST', headers, body: JSON.stringify(params) });
      return res.json();
    },
    [applied],
  );

  const apply = useCallback(
    (event) => {
      event.preventDefault();
      const trimmed = token.trim();
      sessionStorage.setItem(TOKEN_KEY, trimmed);
      sessionStorage.setItem(ENDPOINT_KEY, endpoint);
      setApplied({ token: trimmed, endpoint });
    },
    [token, endpoint],
  );

  return (
    <div className="explorer">
      <form className="explorer-bar" onSubmit={apply}>
        <label>
          Endpoint{' '}
          <select name="endpoint" value={endpoint} onChange={(e) => setEndpoint(e.target.value)}>
            {ENDPOINTS.map((e) => (
              <option key={e.path} value={e.path}>{e.label}</option>
            ))}
          </select>
        </label>
        <label className="explorer-token">
          Bearer token{' '}
          <input name="token" type="password" autoComplete="off" value={token} placeholder="npm run -s token -- --role executive | tail -1" onChange={(e) => setToken(e.target.value)} />
        </label>
        <button type="submit">Use</button>
        <span className="explorer-status">{applied.token ? `Querying ${applied.endpoint} with your token` : 'No token yet'}</span>
      </form>
      <div className="explorer-graphiql">
        {applied.token ? (
          // A new GraphiQL per token and endpoint, so the schema is fetched again as the caller sees it.
          <GraphiQL key={`${applied.endpoint} ${applied.token}`} fetcher={fetcher} shouldPersistHeaders={false} />
        ) : (
          <div className="explorer-help">
            <p>Every request needs a bearer token; the schema shown is the one your role's endpoint serves.</p>
            <p>Outside production, get one from the development issuer: <code>npm run -s token -- --role partner_app | tail -1</code>. Against your identity provider, use the access token of your client credentials.</p>
          </div>
        )}
      </div>
    </div>
  );
}

createRoot(document.getElementById('explorer')).render(<Explorer />);
