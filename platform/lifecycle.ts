import { drainTimeoutMs } from './http';

/** Time allowed after the drain for Apollo and the database pools to close, before the process exits regardless. */
const CLOSE_ALLOWANCE_MS = 5_000;

/**
 * Stops a started server on SIGINT/SIGTERM or when the parent process goes away,
 * then tells the parent, if any, that it is ready. Stopping drains: readiness
 * turns 503, requests in flight finish (up to DRAIN_TIMEOUT_MS), idle
 * connections close, then Apollo and the database pools; the process exits 1 if
 * all that has not happened by DRAIN_TIMEOUT_MS plus a few seconds.
 */
export function announceReady(label: string, name: string, running: { url: string; port: number; stop(): Promise<void> }): void {
  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    const drainMs = drainTimeoutMs();
    console.log(`${label}: ${why}; draining (up to ${drainMs} ms)`);
    setTimeout(() => {
      console.error(`${label}: still stopping ${drainMs + CLOSE_ALLOWANCE_MS} ms after ${why}; exiting`);
      process.exit(1);
    }, drainMs + CLOSE_ALLOWANCE_MS).unref();
    const started = Date.now();
    try {
      await running.stop();
      console.log(`${label}: stopped in ${Date.now() - started} ms`);
      process.exit(0);
    } catch (err) {
      console.error(`${label}: failed to stop cleanly: ${(err as Error).message}`);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('disconnect', () => void stop('its parent went away'));
  console.log(`${label} listening on ${running.url}`);
  process.send?.({ type: 'ready', name, port: running.port });
}
