import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SubgraphMonitor } from '../../gateway/monitor';

/**
 * The gateway's view of a subgraph whose readiness check does not answer in
 * time: down when nothing else it was asked is answered either (paused, hung),
 * busy but up when requests to it are being answered meanwhile (a loaded
 * machine), so that a busy subgraph's callers are not all given partial answers.
 */
describe('a readiness check that times out', () => {
  let server: Server;
  let readyUrl: string;
  const PROBE_TIMEOUT_MS = 300;

  beforeAll(async () => {
    // Readiness that never answers: the check always times out.
    server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    readyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health/ready`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const monitorOf = () => new SubgraphMonitor({ health: readyUrl }, { intervalMs: 60_000, probeTimeoutMs: PROBE_TIMEOUT_MS });

  it('marks the subgraph down when no request to it was answered while it waited', async () => {
    const monitor = monitorOf();
    monitor.answered('health', 5);
    await new Promise((r) => setTimeout(r, 20));
    await monitor.probe('health');
    monitor.stop();
    expect(monitor.isDown('health')).toBe(true);
    const [state] = monitor.report();
    expect(state).toMatchObject({ name: 'health', state: 'down', problem: `no answer within ${PROBE_TIMEOUT_MS} ms` });
    expect(new Date(state.since!).toISOString()).toBe(state.since);
  });

  it('leaves it up when requests to it were answered while the check waited', async () => {
    const monitor = monitorOf();
    const probe = monitor.probe('health');
    setTimeout(() => monitor.answered('health', 120), PROBE_TIMEOUT_MS / 2);
    await probe;
    monitor.stop();
    expect(monitor.isDown('health')).toBe(false);
    expect(monitor.report()[0]).toMatchObject({ state: 'up', latencyMs: 120, problem: null });
  });
});

describe('a readiness check held up by the gateway itself', () => {
  it('checks again before calling the subgraph down when its own event loop was held past the deadline', async () => {
    // Readiness that answers at once: only the gateway's own stall can make the check late.
    const server = createServer((_req, res) => res.end('{"status":"ready"}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const readyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health/ready`;
    const monitor = new SubgraphMonitor({ casework: readyUrl }, { intervalMs: 60_000, probeTimeoutMs: 200 });
    try {
      const probe = monitor.probe('casework');
      // A synchronous task holding the event loop for twice the deadline, as a compile or a huge plan would.
      const until = performance.now() + 400;
      while (performance.now() < until);
      await probe;
      expect(monitor.isDown('casework')).toBe(false);
      expect(monitor.report()[0]).toMatchObject({ state: 'up', problem: null });
    } finally {
      monitor.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
