/**
 * The bad-input corpus, whole, from outside: the stack started as `npm start`
 * starts it (in production mode, with an issuer of this script's own), and every
 * case of bench/support/bad-input-corpus.ts sent to the gateway and to each
 * subgraph's own port. Prints the count of answers by outcome (HTTP status and
 * error codes), every answer that is not as it should be (a 5xx, an
 * INTERNAL_SERVER_ERROR, a refusal that is not a 400 naming the argument, an
 * address, stack trace, SQL or personal data in an answer), and whether every
 * process is still up, unrestarted. Exits 1 when anything is wrong.
 *
 *   npm run build && node dist/bench/bad-input-corpus.js [--fast] [--scale 0.05] [--development] [--show 40]
 */
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { parseArgs } from 'node:util';
import { allLive, buildCorpus, runCorpus, type Target } from './support/bad-input-corpus';
import { freePort, startStackProcess } from './support/stack-process';
import { runScript } from './script';

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      fast: { type: 'boolean', default: false },
      scale: { type: 'string', default: '0.05' },
      development: { type: 'boolean', default: false },
      show: { type: 'string', default: '40' },
      concurrency: { type: 'string', default: '4' },
    },
  });
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const issuer = 'urn:bad-input-corpus';
  const audience = 'bad-input-corpus';
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'corpus', alg: 'ES256', use: 'sig' }] };
  const sign = ({ roles, org, user, expiresIn }: { roles: string[]; org: string; user: string; expiresIn?: string | number }) =>
    new SignJWT({ roles, org, preferred_username: user }).setProtectedHeader({ alg: 'ES256', kid: 'corpus' }).setSubject(user).setIssuer(issuer).setAudience(audience).setIssuedAt(Math.floor(Date.now() / 1000) - 7200).setExpirationTime(expiresIn ?? '3h').sign(privateKey);
  const ports = { casework: await freePort(), health: await freePort(), governance: await freePort() };
  const started = Date.now();
  const stack = await startStackProcess({
    scale: String(args.scale),
    env: {
      NODE_ENV: args.development ? 'development' : 'production',
      OIDC_ISSUER: issuer,
      OIDC_AUDIENCE: audience,
      OIDC_JWKS: JSON.stringify(jwks),
      LINK_KEY_SECRET: 'bad-input-corpus-link-key-secret',
      CASEWORK_PORT: String(ports.casework),
      HEALTH_PORT: String(ports.health),
      GOVERNANCE_PORT: String(ports.governance),
    },
  });
  try {
    const targets: Target[] = [
      { name: 'gateway', url: stack.url },
      ...Object.entries(ports).map(([name, port]) => ({ name, url: `http://127.0.0.1:${port}/graphql` })),
    ];
    const pidsBefore = stack.pids();
    console.log(`stack up in ${((Date.now() - started) / 1000).toFixed(1)} s (${args.development ? 'development' : 'production'} mode)`);
    const cases = await buildCorpus({ targets, sign, fast: args.fast });
    const byTarget = new Map<string, number>();
    for (const c of cases) byTarget.set(c.target, (byTarget.get(c.target) ?? 0) + 1);
    console.log(`${cases.length} requests: ${[...byTarget].map(([t, n]) => `${t} ${n}`).join(', ')}`);
    const t0 = Date.now();
    const run = await runCorpus(cases, targets, { concurrency: Number(args.concurrency) });
    console.log(`sent in ${((Date.now() - t0) / 1000).toFixed(1)} s; slowest answer ${Math.round(run.maxMs)} ms\n`);
    console.log('answers by outcome:');
    for (const [outcome, n] of [...run.outcomes].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(6)}  ${outcome}`);
    const byProblem = new Map<string, number>();
    for (const f of run.failures) for (const w of f.wrong) byProblem.set(w.replace(/:.*$/, ''), (byProblem.get(w.replace(/:.*$/, '')) ?? 0) + 1);
    console.log(`\nnot as they should be: ${run.failures.length} of ${run.sent}`);
    for (const [problem, n] of [...byProblem].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(6)}  ${problem}`);
    for (const f of run.failures.slice(0, Number(args.show))) console.log(`  - ${f.case.name} -> ${f.outcome}: ${f.wrong.join('; ')}\n      ${f.excerpt.replace(/\s+/g, ' ').slice(0, 240)}`);
    const live = await allLive(targets);
    const pidsAfter = stack.pids();
    const restarted = Object.keys(pidsBefore).filter((n) => pidsBefore[n] !== pidsAfter[n]);
    console.log(`\nstill live: ${Object.entries(live).map(([n, ok]) => `${n} ${ok ? 'yes' : 'NO'}`).join(', ')}; processes restarted: ${restarted.length ? restarted.join(', ') : 'none'}`);
    const crashes = stack.log.filter((l) => /stopped unexpectedly|exited|restart/i.test(l));
    if (crashes.length) console.log(crashes.slice(0, 10).join('\n'));
    if (run.failures.length || restarted.length || Object.values(live).some((ok) => !ok)) process.exitCode = 1;
  } finally {
    await stack.stop();
  }
}

if (require.main === module) runScript(main);
