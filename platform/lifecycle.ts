/**
 * Stops a started server on SIGINT/SIGTERM or when the parent process goes away
 * (10 s at most), then tells the parent, if any, that it is ready.
 */
export function announceReady(label: string, name: string, running: { url: string; port: number; stop(): Promise<void> }): void {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), 10_000).unref();
    await running.stop().catch((err) => console.error(err));
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
  console.log(`${label} listening on ${running.url}`);
  process.send?.({ type: 'ready', name, port: running.port });
}
