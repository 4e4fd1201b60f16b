import { drainTimeoutMs } from './http';
import { log } from './logger';
import { stopTracing } from './tracing';

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
    const logger = log();
    logger.info({ drainTimeoutMs: drainMs }, `${label}: ${why}; draining (up to ${drainMs} ms)`);
    setTimeout(() => {
      logger.error(`${label}: still stopping ${drainMs + CLOSE_ALLOWANCE_MS} ms after ${why}; exiting`);
      process.exit(1);
    }, drainMs + CLOSE_ALLOWANCE_MS).unref();
    const started = Date.now();
    try {
      await running.stop();
      // The last spans (this drain's requests) leave before the process does.
      await stopTracing();
      logger.info({ durationMs: Date.now() - started }, `${label}: stopped in ${Date.now() - started} ms`);
      process.exit(0);
    } catch (err) {
      logger.error({ err }, `${label}: failed to stop cleanly`);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('disconnect', () => void stop('its parent went away'));
  log().info({ port: running.port }, `${label} listening on ${running.url}`);
  process.send?.({ type: 'ready', name, port: running.port });
}
