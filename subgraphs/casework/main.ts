// Tracing first, before the database driver it instruments is loaded.
import { startTracing } from '../../platform/tracing';
startTracing('casework');

import { createLogger, setProcessLogger } from '../../platform/logger';
import { runSubgraphProcess } from '../toolkit/process';
import { casework } from './index';

const logger = setProcessLogger(createLogger('casework'));

runSubgraphProcess(casework).catch((err: unknown) => {
  logger.fatal({ err }, `casework subgraph failed to start: ${(err as Error).message}`);
  process.exit(1);
});
