/** The web app as a process (`npm start` forks it; the `web` role in a container). */
import { announceReady } from '../platform/lifecycle';
import { createLogger, setProcessLogger } from '../platform/logger';
import { webConfigFromEnv } from './config';
import { startWeb } from './server';

setProcessLogger(createLogger('web'));

async function main(): Promise<void> {
  try {
    const config = webConfigFromEnv();
    const running = await startWeb(config);
    announceReady('web app', 'web', running);
  } catch (err) {
    console.error(`web app failed to start: ${(err as Error).message}`);
    process.exit(1);
  }
}

void main();
