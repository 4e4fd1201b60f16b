import { connect, createServer, type Server, type Socket } from 'node:net';
import { clientPortsFrom, freePort } from '../../subgraphs/toolkit/ports';

const listen = (port: number) =>
  new Promise<Server>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('freePort', () => {
  it('gives ports below those the OS hands to outgoing connections, which a client socket can never take meanwhile, and free to listen on', async () => {
    const from = clientPortsFrom();
    const ports = [];
    for (let i = 0; i < 20; i++) ports.push(await freePort());
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(from);
      await close(await listen(port));
    }
    // Outgoing connections meanwhile take their local ports from the OS's range, never from freePort's.
    const server = await listen(0);
    const { port } = server.address() as { port: number };
    const opened = (): Promise<Socket> =>
      new Promise((resolve) => {
        const socket = connect(port, '127.0.0.1', () => resolve(socket));
      });
    const sockets = await Promise.all(Array.from({ length: 20 }, opened));
    for (const s of sockets) expect(s.localPort!).toBeGreaterThanOrEqual(from);
    for (const s of sockets) s.destroy();
    await close(server);
  });
});
