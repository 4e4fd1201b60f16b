/**
 * V8 flags every server process runs with: the image's entrypoint (Dockerfile)
 * and `npm start`'s supervisor (infra/supervisor.ts) both pass them.
 *
 * A GraphQL answer makes a great deal that dies young: a 50-child caseworker
 * page builds some 2,400 field values with their promises, rows and the read
 * audit's entries. With V8's default young generation (16 MB semi-spaces) that
 * is a scavenge every request or two, and what is still in flight at that
 * moment is copied and promoted, to be collected again by the slower full
 * collections. 64 MB semi-spaces: 35-45% more caseworker pages a second on two
 * cores at scale 120 (32 MB gave 5-20%, 128 MB no more than 64), for about
 * 60 MB more resident memory per process (within the deployments' 768 Mi).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

/** The flags a server process is started with: the parent's own, with ours in place of any it set for the same option. */
export function serverExecArgv(parent: readonly string[] = process.execArgv): string[] {
  const ours = new Set(SERVER_NODE_FLAGS.map((flag) => flag.split('=')[0]));
  return [...parent.filter((flag) => !ours.has(flag.split('=')[0])), ...SERVER_NODE_FLAGS];
}
