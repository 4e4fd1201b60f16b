// Tracing first, before the database driver it instruments is loaded.
import { startTracing } from '../../platform/tracing';
startTracing('governance');

import { createLogger, setProcessLogger } from '../../platform/logger';
import { runSubgraphProcess } from '../toolkit/process';
import { governance } from './index';

const logger = setProcessLogger(createLogger('governance'));

runSubgraphProcess(governance).catch((err: unknown) => {
  logger.fatal({ err }, `governance subgraph failed to start: ${(err as Error).message}`);
  process.exit(1);
});
