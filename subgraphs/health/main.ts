// Tracing first, before the database driver it instruments is loaded.
import { startTracing } from '../../platform/tracing';
startTracing('health');

import { createLogger, setProcessLogger } from '../../platform/logger';
import { runSubgraphProcess } from '../toolkit/process';
import { health } from './index';

const logger = setProcessLogger(createLogger('health'));

runSubgraphProcess(health).catch((err: unknown) => {
  logger.fatal({ err }, `health subgraph failed to start: ${(err as Error).message}`);
  process.exit(1);
});
