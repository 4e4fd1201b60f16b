import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * A port nothing listens on right now, for a server about to start. Picked below the
 * range the OS gives outgoing connections their local ports from: a port the OS picks
 * for listening on port 0 comes from that range, and any client socket could take it
 * in the seconds before the server it was picked for listens (a start command given
 * one for its web app found it in use once the subgraphs had started and seeded).
 */
export async function freePort(): Promise<number> {
  const from = 20_000;
  const to = Math.min(clientPortsFrom(), 32_768);
  for (let tries = 0; to - from >= 1_000 && tries < 50; tries++) {
    const port = from + Math.floor(Math.random() * (to - from));
    if ((await listenOnce(port)) === port) return port;
  }
  const picked = await listenOnce(0);
  if (!picked) throw new Error('no port free to listen on');
  return picked;
}

/** The lowest local port the OS gives outgoing connections (Linux's default where it cannot be read). */
export function clientPortsFrom(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (Number.isInteger(low) && low > 0) return low;
  } catch {
    // Not Linux.
  }
  return 32_768;
}

/** Listens on the port (0: one the OS picks) and closes at once: the port it got, or null if it was taken. */
function listenOnce(port: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' || err.code === 'EACCES' ? resolve(null) : reject(err)));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const got = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(got));
    });
  });
}
