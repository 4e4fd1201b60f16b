/**
 * V8 flags every server process runs with: the image's entrypoint (Dockerfile)
 * and `npm start`'s supervisor (infra/supervisor.ts) both pass them.
 *
 * A GraphQL answer makes a great deal that dies young: a 50-child caseworker
 * page builds some 2,400 field values with their promises, rows and the read
 * audit's entries. With V8's default young generation (16 MB semi-spaces) that
 * is a scavenge every request or two, and what is still in flight at that
 * moment is copied and promoted, to be collected again by the slower full
 * collections. With 64 MB semi-spaces casework spent 18-34% less CPU on a
 * caseworker page at scale 120 and the page ran 18% faster on average
 * (`npm run bench:gateway -- --scale 120 --only caseworker-page --targets ours`,
 * against `--stack-node-flags=--max-semi-space-size=16`, four pairs alternated);
 * 32 MB gave less, 128 MB no more. About 60 MB more resident memory per process
 * (within the deployments' 768 Mi).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

/**
 * The flags a server process is started with: the parent's own, and ours for any
 * option the parent did not set. So `node --max-semi-space-size=16
 * dist/infra/start.js` runs the stack on V8's default (a machine short of
 * memory, or the benchmark's `--stack-node-flags` comparing the two).
 */
export function serverExecArgv(parent: readonly string[] = process.execArgv): string[] {
  const set = new Set(parent.map((flag) => flag.split('=')[0]));
  return [...parent, ...SERVER_NODE_FLAGS.filter((flag) => !set.has(flag.split('=')[0]))];
}
